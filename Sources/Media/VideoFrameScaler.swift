internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fits decoded pictures of any size and pixel format into one picture of a fixed size in
/// YUV 4:2:0 (`FittedPictureScaler`: letterboxed, never stretched).
///
/// Why one size: an H.264 track in MP4 declares its size and parameter sets once, in the header
/// written before the first frame, while WebRTC senders change resolution mid-stream
/// (congestion makes them send a smaller VP8 keyframe; a phone turns). Encoding the new size
/// would need new parameter sets in mid-track, which MP4 players handle badly or not at all.
final class VideoFrameScaler {
    let width: Int32
    let height: Int32
    private var scaler = FittedPictureScaler()
    private var output: UnsafeMutablePointer<AVFrame>?

    init(width: Int32, height: Int32) throws(TranscoderError) {
        self.width = width
        self.height = height
        output = try Self.makePicture(width: width, height: height)
    }

    /// A YUV 4:2:0 frame of its own buffers.
    static func makePicture(width: Int32, height: Int32) throws(TranscoderError) -> UnsafeMutablePointer<AVFrame> {
        guard let frame = av_frame_alloc() else { throw TranscoderError(operation: "av_frame_alloc", code: -ENOMEM) }
        frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        frame.pointee.width = width
        frame.pointee.height = height
        let status = av_frame_get_buffer(frame, 0)
        guard status >= 0 else {
            var owned: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&owned)
            throw TranscoderError(operation: "av_frame_get_buffer", code: status)
        }
        return frame
    }

    /// Whether `frame` can go to the encoder as it is.
    func fits(_ frame: UnsafeMutablePointer<AVFrame>) -> Bool {
        frame.pointee.width == width && frame.pointee.height == height && frame.pointee.format == AV_PIX_FMT_YUV420P.rawValue
    }

    /// `frame` fitted into the output picture, which stays valid until the next call.
    func scale(_ frame: UnsafeMutablePointer<AVFrame>) throws(TranscoderError) -> UnsafeMutablePointer<AVFrame> {
        guard let output else { throw TranscoderError(operation: "sws_scale", code: -ENOMEM) }
        // The encoder may still hold the last picture: write into a buffer of our own.
        // (av_frame_make_writable copies the old contents when it has to reallocate, so the
        // bars painted at the last change of size stay black.)
        let status = av_frame_make_writable(output)
        guard status >= 0 else { throw TranscoderError(operation: "av_frame_make_writable", code: status) }
        try scaler.scale(frame, into: output, area: .init(x: 0, y: 0, width: width, height: height))
        output.pointee.pts = frame.pointee.pts
        return output
    }

    deinit {
        scaler.release()
        av_frame_free(&output)
    }
}
