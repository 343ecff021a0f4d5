internal import CFFmpeg
internal import COpus
internal import CMediaShims

/// Encodes one continuous stream of 48 kHz interleaved stereo float samples — the room's mix —
/// as Opus (libopus, 20 ms packets, for Ogg or WebM) or AAC-LC (libavcodec, 1024-sample frames,
/// for MP4). `track` is what to declare to `MediaFileWriter`; the frames' `pts` are on the
/// 48 kHz clock from the stream's first sample, so the file starts where the stream does.
///
/// - Opus: the encoder's look-ahead is the file's pre-skip, so a player drops exactly the
///   samples the encoder delayed its output by; `flush` encodes one frame of silence so that
///   the last real samples come out.
/// - AAC: the encoder's priming frame takes the place of the stream's first 1024 samples (a
///   fragmented MP4 cannot hide it with an edit list), as `AudioTranscoder` does: the caller's
///   stream begins in silence (nobody is in the room at its first instant), so nothing is lost.
///
/// Not thread-safe, and not Sendable: one owner feeds it.
public final class MixedAudioEncoder {
    public static let sampleRate = 48_000
    public static let channels = 2

    public let track: TrackDescription
    private let backend: Backend
    /// Sample frames taken so far: the next one's place on the stream's clock.
    private var position: Int64 = 0
    private var isFlushed = false

    private enum Backend {
        case opus(OpaquePointer)
        case aac(LibavEncoder, UnsafeMutablePointer<AVFrame>)
    }

    /// Samples waiting for a whole encoder frame (interleaved).
    private var pending: [Float] = []
    private var packet = [UInt8](repeating: 0, count: 4_000)
    private let frameSize: Int

    /// `codec`: `.opus` or `.aac`; `bitrateKbps` for the whole stereo stream.
    public init(codec: MediaCodec, bitrateKbps: Int = 96) throws(TranscoderError) {
        switch codec {
        case .opus:
            var status: Int32 = 0
            guard let encoder = opus_encoder_create(Int32(Self.sampleRate), Int32(Self.channels), OPUS_APPLICATION_AUDIO, &status),
                  status == OPUS_OK else {
                throw Self.opusError("opus_encoder_create", status)
            }
            var lookahead: Int32 = 0
            status = tapedeck_opus_encoder_set_bitrate(encoder, Int32(bitrateKbps * 1_000))
            if status == OPUS_OK { status = tapedeck_opus_encoder_get_lookahead(encoder, &lookahead) }
            guard status == OPUS_OK else {
                opus_encoder_destroy(encoder)
                throw Self.opusError("opus_encoder_ctl", status)
            }
            backend = .opus(encoder)
            frameSize = 960
            track = .audio(.opus, sampleRate: Self.sampleRate, channels: Self.channels, opusPreSkip: Int(lookahead))
        case .aac:
            let settings = AudioTranscoder.Settings(bitrateKbpsPerChannel: max(8, bitrateKbps / Self.channels))
            let encoder = try AACEncoding.openEncoder(channels: Self.channels, settings: settings)
            let frame = try AACEncoding.makeFrame(for: encoder)
            backend = .aac(encoder, frame)
            frameSize = Int(encoder.context.pointee.frame_size)
            // The priming frame stands in for the first samples (see above).
            position = Int64(encoder.context.pointee.initial_padding)
            skipSamples = Int(encoder.context.pointee.initial_padding)
            track = .audio(.aac, sampleRate: Self.sampleRate, channels: Self.channels, extradata: encoder.extradata)
        default:
            throw TranscoderError(operation: "make mix encoder", reason: .unsupportedInput(codec, accepted: [.opus, .aac]))
        }
    }

    /// AAC: stream samples still to drop for the priming frame.
    private var skipSamples = 0

    deinit {
        switch backend {
        case .opus(let encoder): opus_encoder_destroy(encoder)
        case .aac(_, let frame):
            var owned: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&owned)
        }
    }

    /// Takes the stream's next samples (interleaved stereo, any count) and returns the frames
    /// encoded from them, in order.
    public func encode(_ samples: UnsafeBufferPointer<Float>) throws(TranscoderError) -> [TranscodedFrame] {
        guard !isFlushed else { throw TranscoderError(operation: "encode mix", reason: .finished) }
        var input = samples
        if skipSamples > 0 {
            let skipped = min(skipSamples, samples.count / Self.channels)
            skipSamples -= skipped
            input = UnsafeBufferPointer(rebasing: samples[(skipped * Self.channels)...])
        }
        pending.append(contentsOf: input)
        var output: [TranscodedFrame] = []
        let width = frameSize * Self.channels
        var consumed = 0
        while pending.count - consumed >= width {
            try encodeFrame(from: consumed, count: frameSize, into: &output)
            consumed += width
        }
        if consumed > 0 { pending.removeFirst(consumed) }
        return output
    }

    /// Encodes what is left and drains the encoder; the encoder is done afterwards.
    public func flush() throws(TranscoderError) -> [TranscodedFrame] {
        guard !isFlushed else { throw TranscoderError(operation: "flush mix", reason: .finished) }
        var output: [TranscodedFrame] = []
        switch backend {
        case .opus:
            // The rest padded to a frame, then a frame of silence for the look-ahead's samples.
            let width = frameSize * Self.channels
            if !pending.isEmpty {
                pending.append(contentsOf: repeatElement(0, count: width - pending.count % width))
                try encodeFrame(from: 0, count: frameSize, into: &output)
            }
            pending = [Float](repeating: 0, count: width)
            try encodeFrame(from: 0, count: frameSize, into: &output)
        case .aac(let encoder, _):
            if !pending.isEmpty { try encodeFrame(from: 0, count: pending.count / Self.channels, into: &output) }
            try encoder.encode(nil, into: &output)
        }
        isFlushed = true
        pending = []
        return output
    }

    private func encodeFrame(from start: Int, count: Int, into output: inout [TranscodedFrame]) throws(TranscoderError) {
        switch backend {
        case .opus(let encoder):
            let length = pending.withUnsafeBufferPointer { pcm in
                packet.withUnsafeMutableBufferPointer { bytes in
                    opus_encode_float(encoder, pcm.baseAddress! + start, Int32(count), bytes.baseAddress!, Int32(bytes.count))
                }
            }
            guard length > 0 else { throw Self.opusError("opus_encode_float", length) }
            output.append(TranscodedFrame(data: Array(packet.prefix(Int(length))), pts: position, isKeyframe: true,
                                          duration: Int64(count)))
        case .aac(let encoder, let frame):
            let status = av_frame_make_writable(frame)
            guard status >= 0 else { throw TranscoderError(operation: "av_frame_make_writable", code: status) }
            frame.pointee.nb_samples = Int32(count)
            frame.pointee.pts = position
            pending.withUnsafeBufferPointer { pcm in
                let left = UnsafeMutableRawPointer(frame.pointee.extended_data[0]!).assumingMemoryBound(to: Float.self)
                let right = UnsafeMutableRawPointer(frame.pointee.extended_data[1]!).assumingMemoryBound(to: Float.self)
                for index in 0..<count {
                    left[index] = pcm[start + 2 * index]
                    right[index] = pcm[start + 2 * index + 1]
                }
            }
            let before = output.count
            try encoder.encode(frame, into: &output)
            // Every AAC frame decodes on its own (the MP4 marks them all sync samples).
            for index in before..<output.count { output[index].isKeyframe = true }
        }
        position += Int64(count)
    }

    private static func opusError(_ operation: String, _ status: Int32) -> TranscoderError {
        TranscoderError(operation: operation,
                        reason: .libav(code: status, message: opus_strerror(status).map { String(cString: $0) } ?? "error \(status)"))
    }
}
