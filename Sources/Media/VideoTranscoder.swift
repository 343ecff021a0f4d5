internal import CFFmpeg

/// Turns a VP8 or VP9 stream into H.264 for MP4: decoded with libavcodec's own decoders,
/// encoded with libx264 through libavcodec. Made from the first keyframe's size, which the
/// H.264 track keeps (later sizes are fitted into it, see `VideoFrameScaler`); `track` is the
/// writer's description of that track, parameter sets included, from the moment it is made.
///
/// Fed one encoded frame at a time (timestamps on the 90 kHz RTP clock) in decode order; gives
/// back the H.264 frames (Annex B, the same clock, no B-frames so decode order is presentation
/// order) the encoder has ready, usually a few frames behind. `flush` at the end gives the rest.
///
/// An undecodable frame is counted and skipped, never thrown; decoding resumes at the next
/// keyframe, and until then `needsKeyframe` is true so the recorder can ask the sender for one
/// (PLI). Not thread-safe, and not Sendable: one owner feeds it.
public final class VideoTranscoder {
    /// What it decodes: RTP's VP8 and VP9. H.264 from a sender goes to the file as it is.
    public static let acceptedInputs: [MediaCodec] = [.vp8, .vp9]

    public let input: MediaCodec
    public let settings: Settings
    /// The H.264 track to declare to `MediaFileWriter`: size, 90 kHz, SPS and PPS.
    public let track: TrackDescription
    public private(set) var statistics = VideoTranscoderStatistics()

    /// The decoder waits for a keyframe (at the start, and after an undecodable frame): the
    /// frames until then are skipped, so the sender should be asked for one.
    public var needsKeyframe: Bool { waitingForKeyframe }

    private let decoder: LibavDecoder
    private let encoder: LibavEncoder
    private let scaler: VideoFrameScaler
    private let keyframeTicks: Int64
    private var waitingForKeyframe = true
    private var nextKeyframeAt = Int64.min
    private var lastPTS: Int64?
    private var isFlushed = false

    /// A frame-count ceiling on the keyframe interval for x264; the interval by timestamps
    /// comes first for any camera up to this rate.
    private static let highestFrameRate = 60

    public init(input: MediaCodec, width: Int, height: Int, settings: Settings = Settings()) throws(TranscoderError) {
        let decoderName: String
        switch input {
        case .vp8: decoderName = "vp8"
        case .vp9: decoderName = "vp9"
        case .h264, .opus, .aac:
            throw TranscoderError(operation: "make video transcoder", reason: .unsupportedInput(input, accepted: Self.acceptedInputs))
        }
        try settings.validate()
        guard (1...16_384).contains(width), (1...16_384).contains(height) else {
            throw TranscoderError(operation: "make video transcoder",
                                  reason: .invalidSettings("size \(width)x\(height) is not a picture size"))
        }
        // 4:2:0 needs even sizes; an odd one loses its last column or row to the scaler.
        let encodedWidth = Int32(max(2, width & ~1))
        let encodedHeight = Int32(max(2, height & ~1))
        let keyframeMicroseconds = settings.keyframeInterval.microseconds
        keyframeTicks = max(1, TimeBase.microseconds.convert(keyframeMicroseconds, to: .rtpVideo))

        decoder = try LibavDecoder(decoderName) { context in
            context.pointee.thread_count = Int32(settings.threads)
            // Slice threads only: frame threads would hold pictures back, one per thread.
            context.pointee.thread_type = FF_THREAD_SLICE
            context.pointee.pkt_timebase = TimeBase.rtpVideo.rational
        }
        encoder = try LibavEncoder("libx264", options: settings.encoderOptions) { context in
            context.pointee.width = encodedWidth
            context.pointee.height = encodedHeight
            context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
            context.pointee.time_base = TimeBase.rtpVideo.rational
            // Only a hint for x264's defaults: rate control follows the timestamps (x264's
            // variable frame rate input), which are the sender's.
            context.pointee.framerate = AVRational(num: 30, den: 1)
            context.pointee.max_b_frames = 0
            context.pointee.gop_size = Int32(clamping: max(1, keyframeMicroseconds * Int64(Self.highestFrameRate) / 1_000_000))
            context.pointee.thread_count = Int32(settings.threads)
            // SPS and PPS in the extradata now, not in the first frame: the writer's header needs them.
            context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
            if case .bitrate(let kbps) = settings.rateControl { context.pointee.bit_rate = Int64(kbps) * 1_000 }
        }
        guard let parameterSets = H264AnnexB.parameterSets(in: encoder.extradata) else {
            throw TranscoderError(operation: "open libx264 encoder",
                                  reason: .unexpectedDecoderOutput("the encoder's extradata holds no SPS and PPS"))
        }
        scaler = try VideoFrameScaler(width: encodedWidth, height: encodedHeight)
        self.input = input
        self.settings = settings
        track = .video(.h264, width: Int(encodedWidth), height: Int(encodedHeight), timeBase: .rtpVideo,
                       extradata: parameterSets)
    }

    /// Decodes one VP8/VP9 frame (`pts` on the 90 kHz clock) and returns the H.264 frames the
    /// encoder has ready. Throws only for libav's own failures (memory), never for bad input.
    public func transcode(_ data: UnsafeRawBufferPointer, pts: Int64, isKeyframe: Bool) throws(TranscoderError) -> [TranscodedFrame] {
        guard !isFlushed else { throw TranscoderError(operation: "transcode", reason: .finished) }
        statistics.framesReceived += 1
        if waitingForKeyframe, !isKeyframe {
            statistics.framesSkippedWaitingForKeyframe += 1
            return []
        }
        guard decoder.send(data, pts: pts) >= 0 else {
            giveUpUntilKeyframe()
            return []
        }
        if isKeyframe { waitingForKeyframe = false }
        var output: [TranscodedFrame] = []
        try drainDecoder(into: &output)
        return output
    }

    public func transcode(_ data: [UInt8], pts: Int64, isKeyframe: Bool) throws(TranscoderError) -> [TranscodedFrame] {
        // Array.withUnsafeBytes rethrows untyped errors; carry the typed one out in a Result.
        try data.withUnsafeBytes { bytes in
            Result { () throws(TranscoderError) in try transcode(bytes, pts: pts, isKeyframe: isKeyframe) }
        }.get()
    }

    /// The frames still inside the decoder and the encoder. The transcoder is done afterwards.
    public func flush() throws(TranscoderError) -> [TranscodedFrame] {
        guard !isFlushed else { throw TranscoderError(operation: "flush", reason: .finished) }
        isFlushed = true
        var output: [TranscodedFrame] = []
        if decoder.sendEndOfStream() >= 0 { try drainDecoder(into: &output) }
        try encode(nil, into: &output)
        return output
    }

    private func drainDecoder(into output: inout [TranscodedFrame]) throws(TranscoderError) {
        while true {
            switch decoder.receive() {
            case .frame:
                let frame = decoder.frame
                // A decoder that concealed damage says so; what follows would build on it.
                guard frame.pointee.flags & AV_FRAME_FLAG_CORRUPT == 0, frame.pointee.decode_error_flags == 0 else {
                    giveUpUntilKeyframe()
                    return
                }
                statistics.framesDecoded += 1
                try encode(frame, into: &output)
            case .needsInput, .ended:
                return
            case .failed:
                giveUpUntilKeyframe()
                return
            }
        }
    }

    private func giveUpUntilKeyframe() {
        statistics.framesUndecodable += 1
        waitingForKeyframe = true
        decoder.reset()
    }

    private func encode(_ frame: UnsafeMutablePointer<AVFrame>?, into output: inout [TranscodedFrame]) throws(TranscoderError) {
        let before = output.count
        defer { statistics.framesEncoded += output.count - before }
        guard let frame else {
            try encoder.encode(nil, into: &output)
            return
        }
        var pts = frame.pointee.pts != Int64.min ? frame.pointee.pts : frame.pointee.best_effort_timestamp
        if pts == Int64.min { pts = (lastPTS ?? -1) + 1 }
        if let last = lastPTS, pts <= last {
            pts = last + 1
            statistics.timestampsAdjusted += 1
        }
        lastPTS = pts
        let picture: UnsafeMutablePointer<AVFrame>
        if scaler.fits(frame) {
            picture = frame
        } else {
            picture = try scaler.scale(frame)
            statistics.framesScaled += 1
        }
        picture.pointee.pts = pts
        if pts >= nextKeyframeAt {
            picture.pointee.pict_type = AV_PICTURE_TYPE_I
            nextKeyframeAt = pts + keyframeTicks
        } else {
            // The decoder marks its keyframes I; the sender's keyframe rhythm is not ours.
            picture.pointee.pict_type = AV_PICTURE_TYPE_NONE
        }
        try encoder.encode(picture, into: &output)
    }
}
