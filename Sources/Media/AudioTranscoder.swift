internal import CFFmpeg

/// Turns an Opus stream into AAC-LC for MP4: decoded with libavcodec's Opus decoder at 48 kHz,
/// regrouped into 1024-sample frames, encoded with libavcodec's AAC encoder, mono or stereo as
/// the source. `track` is the writer's description (with the AudioSpecificConfig) from the
/// moment it is made.
///
/// Timing: input and output timestamps are on the 48 kHz clock, and every sample stays where
/// its Opus sample was, so the track keeps wall time and lip sync.
/// - Gaps (Opus DTX, lost packets, a muted microphone: a packet starting later than the
///   previous one ended) are filled with silence — never squeezed out, which would pull all
///   later audio early. Filling is cheap at any length: the encoder gets two frames of
///   silence on each side of a long gap, which settle it, and the frames between are copies
///   of one silent AAC frame (`AACEncoding.silentFrame`), so a minute of silence costs
///   copying 2 800 six-byte frames instead of encoding them. Only gaps beyond
///   `Settings.maximumSilenceFill` stay holes.
/// - AAC encoders start with one frame of priming (the encoder delay), which MP4 hides with an
///   edit list — one that a fragmented MP4 whose header is written before the first sample
///   cannot hold. So the first 1024 samples of the stream are dropped and the priming frame
///   takes their place: the track starts exactly at the first packet's time, and everything
///   after sits where it belongs. (Labelling the priming 1024 samples early instead would put
///   the track's start before the recording's.)
/// - Repeated or late packets (their whole time already covered) are dropped; partly
///   overlapping ones give only their new samples.
///
/// An undecodable packet is counted and skipped (its time is filled like a gap), never thrown.
/// Not thread-safe, and not Sendable: one owner feeds it.
public final class AudioTranscoder {
    public let channels: Int
    public let settings: Settings
    /// The AAC track to declare to `MediaFileWriter`: 48 kHz, the channels, the
    /// AudioSpecificConfig.
    public let track: TrackDescription
    public private(set) var statistics = AudioTranscoderStatistics()

    private let decoder: LibavDecoder
    private let encoder: LibavEncoder
    private var encoderFrame: UnsafeMutablePointer<AVFrame>?
    /// Samples per AAC frame (1024) and the encoder's priming, from the opened encoder.
    private let frameSize: Int64
    private let encoderDelay: Int64
    private let maximumFill: Int64
    /// Made at the first packet, which starts the timeline.
    private var queue: AudioSampleQueue?
    /// Where the audio decoded so far ends: a packet that ends no later is a repeat.
    private var decodedEnd = Int64.min
    private var silentFrame: [UInt8]?
    private var isFlushed = false

    /// `channels`: 1 or 2, as the sender's SDP says (opus/48000/2 with stereo=1 is stereo).
    public init(channels: Int = 2, settings: Settings = Settings()) throws(TranscoderError) {
        guard (1...2).contains(channels), let head = OpusHead.make(channels: channels, preSkip: 0) else {
            throw TranscoderError(operation: "make audio transcoder",
                                  reason: .invalidSettings("\(channels) channels: mono and stereo are supported"))
        }
        try settings.validate()
        decoder = try LibavDecoder("opus") { context in
            context.pointee.sample_rate = AACEncoding.sampleRate
            av_channel_layout_default(&context.pointee.ch_layout, Int32(channels))
            context.pointee.pkt_timebase = TimeBase.samples(AACEncoding.sampleRate).rational
            // Pre-skip 0: a stream joined mid-way has no encoder start-up to hide, and a
            // pre-skip would shift the track against the others.
            CodecContext.setExtradata(head, on: context)
        }
        encoder = try AACEncoding.openEncoder(channels: channels, settings: settings)
        encoderFrame = try AACEncoding.makeFrame(for: encoder)
        frameSize = Int64(encoder.context.pointee.frame_size)
        encoderDelay = Int64(encoder.context.pointee.initial_padding)
        maximumFill = TimeBase.microseconds.convert(settings.maximumSilenceFill.microseconds, to: .samples(AACEncoding.sampleRate))
        self.channels = channels
        self.settings = settings
        track = .audio(.aac, sampleRate: Int(AACEncoding.sampleRate), channels: channels, extradata: encoder.extradata)
    }

    /// Decodes one Opus packet (`pts` on the 48 kHz clock) and returns the AAC frames ready,
    /// in time order. Throws only for libav's own failures (memory), never for bad input.
    public func transcode(_ packet: UnsafeRawBufferPointer, pts: Int64) throws(TranscoderError) -> [TranscodedFrame] {
        guard !isFlushed else { throw TranscoderError(operation: "transcode", reason: .finished) }
        statistics.packetsReceived += 1
        if let duration = OpusPacketDuration.samples(packet), pts + Int64(duration) <= decodedEnd {
            statistics.packetsDroppedLate += 1
            return []
        }
        guard decoder.send(packet, pts: pts) >= 0 else {
            statistics.packetsUndecodable += 1
            return []
        }
        var output: [TranscodedFrame] = []
        var nextPTS = pts
        receiving: while true {
            switch decoder.receive() {
            case .frame:
                let frame = decoder.frame
                let framePTS = frame.pointee.pts != Int64.min ? frame.pointee.pts : nextPTS
                nextPTS = framePTS + Int64(frame.pointee.nb_samples)
                try place(frame, at: framePTS, into: &output)
            case .needsInput, .ended:
                break receiving
            case .failed:
                statistics.packetsUndecodable += 1
                break receiving
            }
        }
        // A long gap's copied silence goes out before the encoder's last frame from before it.
        if output.count > 1 { output.sort { $0.pts < $1.pts } }
        return output
    }

    public func transcode(_ packet: [UInt8], pts: Int64) throws(TranscoderError) -> [TranscodedFrame] {
        // Array.withUnsafeBytes rethrows untyped errors; carry the typed one out in a Result.
        try packet.withUnsafeBytes { bytes in
            Result { () throws(TranscoderError) in try transcode(bytes, pts: pts) }
        }.get()
    }

    /// Encodes what is queued — the last frame short; the encoder pads it and gives it its
    /// real duration — and drains the encoder. The transcoder is done afterwards.
    public func flush() throws(TranscoderError) -> [TranscodedFrame] {
        guard !isFlushed else { throw TranscoderError(operation: "flush", reason: .finished) }
        isFlushed = true
        var output: [TranscodedFrame] = []
        if let queue, queue.count > 0 { try encodeFrame(of: Int64(queue.count), from: queue, into: &output) }
        try encode(nil, into: &output)
        return output
    }

    /// Queues one decoded frame at its place on the timeline, filling the gap before it.
    private func place(_ frame: UnsafeMutablePointer<AVFrame>, at pts: Int64, into output: inout [TranscodedFrame]) throws(TranscoderError) {
        guard frame.pointee.format == AV_SAMPLE_FMT_FLTP.rawValue, frame.pointee.ch_layout.nb_channels == Int32(channels),
              frame.pointee.sample_rate == AACEncoding.sampleRate else {
            throw TranscoderError(operation: "decode opus", reason: .unexpectedDecoderOutput(
                "\(frame.pointee.ch_layout.nb_channels) channels of format \(frame.pointee.format) at \(frame.pointee.sample_rate) Hz"))
        }
        let samples = Int64(frame.pointee.nb_samples)
        statistics.samplesDecoded += samples
        decodedEnd = max(decodedEnd, pts + samples)
        let queue: AudioSampleQueue
        if let existing = self.queue {
            queue = existing
            if pts > queue.endPTS { try fillGap(until: pts, queue, into: &output) }
        } else {
            // The first packet: its first `encoderDelay` samples give way to the priming frame.
            queue = try AudioSampleQueue(channels: channels, startPTS: pts + encoderDelay)
            self.queue = queue
        }
        try queue.append(frame, at: pts)
        try encodeWholeFrames(queue, into: &output)
    }

    private func fillGap(until pts: Int64, _ queue: AudioSampleQueue, into output: inout [TranscodedFrame]) throws(TranscoderError) {
        let gap = pts - queue.endPTS
        guard gap <= max(maximumFill, 0) else {
            // A hole: end the frame in progress with silence and go on at `pts`.
            statistics.holesKept += 1
            if queue.count > 0 {
                try queue.appendSilence(frameSize - Int64(queue.count))
                try encodeWholeFrames(queue, into: &output)
            }
            queue.skip(to: max(pts, queue.endPTS))
            return
        }
        statistics.gapsFilled += 1
        statistics.silenceSamplesInserted += gap
        // Through the encoder: the frame in progress, then two whole frames of silence, which
        // leave its overlap with the audio before the gap at zero.
        let leadIn = min(gap, (frameSize - Int64(queue.count) % frameSize) % frameSize + 2 * frameSize)
        try queue.appendSilence(leadIn)
        try encodeWholeFrames(queue, into: &output)
        // Copies of a silent frame, up to two frames before `pts`; the last two frames go
        // through the encoder again, so its state is silence when the audio resumes.
        let copies = max(0, (pts - queue.endPTS - 2 * frameSize) / frameSize)
        if copies > 0 {
            let silent: [UInt8]
            if let made = silentFrame {
                silent = made
            } else {
                silent = try AACEncoding.silentFrame(channels: channels, settings: settings)
                silentFrame = silent
            }
            let start = queue.endPTS
            for index in 0..<copies {
                output.append(TranscodedFrame(data: silent, pts: start + index * frameSize, isKeyframe: true, duration: frameSize))
            }
            statistics.framesEncoded += Int(copies)
            statistics.silentFramesRepeated += Int(copies)
            queue.skip(to: start + copies * frameSize)
        }
        try queue.appendSilence(pts - queue.endPTS)
    }

    private func encodeWholeFrames(_ queue: AudioSampleQueue, into output: inout [TranscodedFrame]) throws(TranscoderError) {
        while Int64(queue.count) >= frameSize { try encodeFrame(of: frameSize, from: queue, into: &output) }
    }

    private func encodeFrame(of samples: Int64, from queue: AudioSampleQueue, into output: inout [TranscodedFrame]) throws(TranscoderError) {
        guard let frame = encoderFrame else { return }
        // The encoder may still hold the last frame's buffer: write into one of our own.
        let status = av_frame_make_writable(frame)
        guard status >= 0 else { throw TranscoderError(operation: "av_frame_make_writable", code: status) }
        frame.pointee.nb_samples = Int32(samples)
        frame.pointee.pts = try queue.read(Int(samples), into: frame)
        try encode(frame, into: &output)
    }

    private func encode(_ frame: UnsafeMutablePointer<AVFrame>?, into output: inout [TranscodedFrame]) throws(TranscoderError) {
        let before = output.count
        try encoder.encode(frame, into: &output)
        // Every AAC frame decodes on its own (the MP4 marks them all sync samples).
        for index in before..<output.count { output[index].isKeyframe = true }
        statistics.framesEncoded += output.count - before
    }

    deinit {
        av_frame_free(&encoderFrame)
    }
}
