internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fits decoded pictures of any size and pixel format into one picture of a fixed size in
/// YUV 4:2:0, with libswscale, keeping their shape: a picture of another aspect ratio is
/// centred between black bars rather than stretched.
///
/// Why one size: an H.264 track in MP4 declares its size and parameter sets once, in the header
/// written before the first frame, while WebRTC senders change resolution mid-stream
/// (congestion makes them send a smaller VP8 keyframe; a phone turns). Encoding the new size
/// would need new parameter sets in mid-track, which MP4 players handle badly or not at all.
final class VideoFrameScaler {
    let width: Int32
    let height: Int32
    private var context: OpaquePointer?
    private var output: UnsafeMutablePointer<AVFrame>?
    private var source: (width: Int32, height: Int32, format: Int32) = (0, 0, -1)
    /// Where the source picture goes inside the output (even offsets and sizes, for 4:2:0).
    private var placement: (x: Int32, y: Int32, width: Int32, height: Int32) = (0, 0, 0, 0)

    init(width: Int32, height: Int32) throws(TranscoderError) {
        self.width = width
        self.height = height
        guard let frame = av_frame_alloc() else { throw TranscoderError(operation: "av_frame_alloc", code: -ENOMEM) }
        frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        frame.pointee.width = width
        frame.pointee.height = height
        output = frame
        let status = av_frame_get_buffer(frame, 0)
        guard status >= 0 else { throw TranscoderError(operation: "av_frame_get_buffer", code: status) }
    }

    /// Whether `frame` can go to the encoder as it is.
    func fits(_ frame: UnsafeMutablePointer<AVFrame>) -> Bool {
        frame.pointee.width == width && frame.pointee.height == height && frame.pointee.format == AV_PIX_FMT_YUV420P.rawValue
    }

    /// `frame` fitted into the output picture, which stays valid until the next call.
    func scale(_ frame: UnsafeMutablePointer<AVFrame>) throws(TranscoderError) -> UnsafeMutablePointer<AVFrame> {
        guard let output else { throw TranscoderError(operation: "sws_scale", code: -ENOMEM) }
        // The encoder may still hold the last picture: write into a buffer of our own.
        var status = av_frame_make_writable(output)
        guard status >= 0 else { throw TranscoderError(operation: "av_frame_make_writable", code: status) }
        let current = (frame.pointee.width, frame.pointee.height, frame.pointee.format)
        if current != source {
            try prepare(for: current, output)
            source = current
        }
        let sourcePlanes = frame.planes.map { UnsafePointer<UInt8>($0) }
        let sourceLines = frame.lineSizes
        let lines = output.lineSizes
        let planes = output.planes
        let offsets = [Int(placement.y) * Int(lines[0]) + Int(placement.x),
                       Int(placement.y / 2) * Int(lines[1]) + Int(placement.x / 2),
                       Int(placement.y / 2) * Int(lines[2]) + Int(placement.x / 2), 0]
        let destination = (0..<4).map { plane in planes[plane].map { $0 + offsets[plane] } }
        status = sws_scale(context, sourcePlanes, sourceLines, 0, frame.pointee.height, destination, lines)
        guard status > 0 else { throw TranscoderError(operation: "sws_scale", code: status < 0 ? status : -EINVAL) }
        output.pointee.pts = frame.pointee.pts
        return output
    }

    /// A new conversion for a new source size or format, and black where the picture will not
    /// reach. (av_frame_make_writable copies the old contents when it has to reallocate, so
    /// the bars stay black until the next change.)
    private func prepare(for source: (width: Int32, height: Int32, format: Int32),
                         _ output: UnsafeMutablePointer<AVFrame>) throws(TranscoderError) {
        let scale = min(Double(width) / Double(source.width), Double(height) / Double(source.height))
        func even(_ value: Double, within limit: Int32) -> Int32 { min(limit, max(2, Int32(value.rounded()) & ~1)) }
        let fittedWidth = even(Double(source.width) * scale, within: width)
        let fittedHeight = even(Double(source.height) * scale, within: height)
        placement = (((width - fittedWidth) / 2) & ~1, ((height - fittedHeight) / 2) & ~1, fittedWidth, fittedHeight)
        context = sws_getCachedContext(context, source.width, source.height, AVPixelFormat(source.format),
                                       fittedWidth, fittedHeight, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil)
        guard context != nil else {
            let name = av_get_pix_fmt_name(AVPixelFormat(source.format)).map { String(cString: $0) } ?? "format \(source.format)"
            throw TranscoderError(operation: "sws_getCachedContext",
                                  reason: .unexpectedDecoderOutput("cannot scale \(name) \(source.width)x\(source.height)"))
        }
        if fittedWidth != width || fittedHeight != height {
            var planes = output.planes
            let lines = output.lineSizes.map { Int($0) }
            let status = av_image_fill_black(&planes, lines, AV_PIX_FMT_YUV420P, AVCOL_RANGE_MPEG, width, height)
            guard status >= 0 else { throw TranscoderError(operation: "av_image_fill_black", code: status) }
        }
    }

    deinit {
        sws_freeContext(context)
        av_frame_free(&output)
    }
}
