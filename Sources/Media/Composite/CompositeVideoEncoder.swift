internal import CFFmpeg

/// Encodes a composite's canvas, one picture per output frame at a fixed rate: H.264 with
/// libx264 (for fragmented MP4) or VP8 with libvpx (for WebM), both through libavcodec.
/// Timestamps are on the 90 kHz clock, a keyframe at least every `keyframeInterval` of them
/// (an MP4 fragment starts at each, so a killed file plays up to its last one).
///
/// Not thread-safe, and not Sendable: one owner feeds it.
public final class CompositeVideoEncoder {
    public static let acceptedOutputs: [MediaCodec] = [.h264, .vp8]

    /// The track to declare to `MediaFileWriter`.
    public let track: TrackDescription
    private let encoder: LibavEncoder
    private var keyframes: KeyframeSchedule
    private var isFlushed = false

    /// `settings`: the preset and rate for H.264; VP8 takes the rate (CRF: libvpx's own default
    /// quality) and the keyframe interval.
    public init(codec: MediaCodec, width: Int, height: Int, framesPerSecond: Int,
                settings: VideoTranscoder.Settings) throws(TranscoderError) {
        let width = Int32(width & ~1), height = Int32(height & ~1)
        keyframes = KeyframeSchedule(interval: settings.keyframeInterval)
        switch codec {
        case .h264:
            let (encoder, parameterSets) = try H264Encoding.openEncoder(width: width, height: height,
                                                                       frameRate: Int32(framesPerSecond), settings: settings)
            self.encoder = encoder
            track = .video(.h264, width: Int(width), height: Int(height), timeBase: .rtpVideo, extradata: parameterSets)
        case .vp8:
            try settings.validate()
            var options = [("deadline", "realtime"), ("cpu-used", "8"), ("lag-in-frames", "0")]
            if case .constantRateFactor(let crf) = settings.rateControl { options.append(("crf", String(Int(crf.rounded())))) }
            encoder = try LibavEncoder("libvpx", options: options) { context in
                context.pointee.width = width
                context.pointee.height = height
                context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
                context.pointee.time_base = TimeBase.rtpVideo.rational
                context.pointee.framerate = AVRational(num: Int32(framesPerSecond), den: 1)
                context.pointee.thread_count = Int32(settings.threads)
                switch settings.rateControl {
                case .bitrate(let kbps): context.pointee.bit_rate = Int64(kbps) * 1_000
                // libvpx's constant quality needs a ceiling; generous for the canvas's size.
                case .constantRateFactor: context.pointee.bit_rate = Int64(width) * Int64(height) * 4
                }
            }
            track = .video(.vp8, width: Int(width), height: Int(height), timeBase: .rtpVideo)
        case .vp9, .opus, .aac:
            throw TranscoderError(operation: "make composite encoder", reason: .unsupportedInput(codec, accepted: Self.acceptedOutputs))
        }
    }

    /// Encodes the canvas as it is now, shown from `pts` (90 kHz), and returns the frames the
    /// encoder has ready. The encoder copies the picture; the canvas may be drawn on again once
    /// `prepareForDrawing` made it writable.
    public func encode(_ canvas: CompositeCanvas, pts: Int64) throws(TranscoderError) -> [TranscodedFrame] {
        guard !isFlushed else { throw TranscoderError(operation: "encode composite", reason: .finished) }
        let picture = canvas.frame
        picture.pointee.pts = pts
        keyframes.mark(picture)
        var output: [TranscodedFrame] = []
        try encoder.encode(picture, into: &output)
        return output
    }

    /// What the encoder still holds. The encoder is done afterwards.
    public func flush() throws(TranscoderError) -> [TranscodedFrame] {
        guard !isFlushed else { throw TranscoderError(operation: "flush composite", reason: .finished) }
        isFlushed = true
        var output: [TranscodedFrame] = []
        try encoder.encode(nil, into: &output)
        return output
    }
}
