internal import CFFmpeg

/// libx264 through libavcodec, opened as every H.264 the recorder makes is: no B-frames (decode
/// order is presentation order, so frames come out as they went in), the 90 kHz RTP clock, and
/// the parameter sets in the extradata at once, for the header a writer puts before the first
/// frame. What a transcoded track (`VideoTranscoder`) and a room's composite
/// (`CompositeVideoEncoder`) both encode with.
enum H264Encoding {
    /// A frame-count ceiling on the keyframe interval for x264; the interval by timestamps
    /// (the caller's forced keyframes) comes first for any frame rate up to this.
    static let highestFrameRate = 60

    /// The encoder and its SPS and PPS (Annex B). `frameRate`: only a hint for x264's defaults,
    /// since rate control follows the timestamps (x264's variable frame rate input).
    static func openEncoder(width: Int32, height: Int32, frameRate: Int32 = 30,
                            settings: VideoTranscoder.Settings) throws(TranscoderError) -> (LibavEncoder, parameterSets: [UInt8]) {
        try settings.validate()
        let keyframeMicroseconds = settings.keyframeInterval.microseconds
        let encoder = try LibavEncoder("libx264", options: settings.encoderOptions) { context in
            context.pointee.width = width
            context.pointee.height = height
            context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
            context.pointee.time_base = TimeBase.rtpVideo.rational
            context.pointee.framerate = AVRational(num: frameRate, den: 1)
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
        return (encoder, parameterSets)
    }
}
