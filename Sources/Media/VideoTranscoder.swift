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
    private var keyframes: KeyframeSchedule
    private var waitingForKeyframe = true
    private var lastPTS: Int64?
    private var isFlushed = false

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
        keyframes = KeyframeSchedule(interval: settings.keyframeInterval)

        decoder = try LibavDecoder(decoderName) { context in
            context.pointee.thread_count = Int32(settings.threads)
            // Slice threads only: frame threads would hold pictures back, one per thread.
            context.pointee.thread_type = FF_THREAD_SLICE
            context.pointee.pkt_timebase = TimeBase.rtpVideo.rational
        }
        let (encoder, parameterSets) = try H264Encoding.openEncoder(width: encodedWidth, height: encodedHeight, settings: settings)
        self.encoder = encoder
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
        let intact = try decoder.drainPictures { (frame) throws(TranscoderError) in
            statistics.framesDecoded += 1
            try encode(frame, into: &output)
        }
        if !intact { giveUpUntilKeyframe() }
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
        keyframes.mark(picture)
        try encoder.encode(picture, into: &output)
    }
}
