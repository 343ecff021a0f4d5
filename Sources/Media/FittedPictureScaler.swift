internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scales decoded pictures of any size and pixel format into a rectangle of a YUV 4:2:0
/// picture with libswscale, keeping their shape: a picture of another aspect ratio is centred
/// between black bars rather than stretched. What a transcoder's fixed-size output
/// (`VideoFrameScaler`) and a composite's tiles (`CompositeCanvas`) both need.
///
/// The conversion is kept for the next picture of the same size and format, so a stream costs
/// one `sws_getCachedContext` per change of size, not one per picture.
struct FittedPictureScaler {
    /// A rectangle of the output, in luma samples.
    struct Area: Equatable {
        var x: Int32, y: Int32, width: Int32, height: Int32
    }

    private var context: OpaquePointer?
    private var source: (width: Int32, height: Int32, format: Int32) = (0, 0, -1)
    private var area = Area(x: 0, y: 0, width: 0, height: 0)
    /// Where the source picture goes inside `area` (even offsets and sizes, for 4:2:0).
    private var placement = Area(x: 0, y: 0, width: 0, height: 0)

    /// Scales `frame` into `area` of `output` (YUV 4:2:0, writable). The bars are painted
    /// black when the placement changes (a new source size or area) or when `paintBars`: a
    /// caller whose output is reused as it was only needs them once.
    mutating func scale(_ frame: UnsafeMutablePointer<AVFrame>, into output: UnsafeMutablePointer<AVFrame>, area: Area,
                        paintBars: Bool = false) throws(TranscoderError) {
        let current = (frame.pointee.width, frame.pointee.height, frame.pointee.format)
        var repaint = paintBars
        if current != source || area != self.area {
            try prepare(for: current, area: area)
            source = current
            self.area = area
            repaint = true
        }
        if repaint, placement != area { Self.fillBlack(output, area) }
        let sourcePlanes = frame.planes.map { UnsafePointer<UInt8>($0) }
        let lines = output.lineSizes
        let planes = output.planes
        let offsets = [Int(placement.y) * Int(lines[0]) + Int(placement.x),
                       Int(placement.y / 2) * Int(lines[1]) + Int(placement.x / 2),
                       Int(placement.y / 2) * Int(lines[2]) + Int(placement.x / 2), 0]
        let destination = (0..<4).map { plane in planes[plane].map { $0 + offsets[plane] } }
        let status = sws_scale(context, sourcePlanes, frame.lineSizes, 0, frame.pointee.height, destination, lines)
        guard status > 0 else { throw TranscoderError(operation: "sws_scale", code: status < 0 ? status : -EINVAL) }
    }

    /// A new conversion for a new source size or format, or a new area.
    private mutating func prepare(for source: (width: Int32, height: Int32, format: Int32), area: Area) throws(TranscoderError) {
        let scale = min(Double(area.width) / Double(source.width), Double(area.height) / Double(source.height))
        func even(_ value: Double, within limit: Int32) -> Int32 { min(limit, max(2, Int32(value.rounded()) & ~1)) }
        let fittedWidth = even(Double(source.width) * scale, within: area.width)
        let fittedHeight = even(Double(source.height) * scale, within: area.height)
        placement = Area(x: area.x + (((area.width - fittedWidth) / 2) & ~1), y: area.y + (((area.height - fittedHeight) / 2) & ~1),
                         width: fittedWidth, height: fittedHeight)
        context = sws_getCachedContext(context, source.width, source.height, AVPixelFormat(source.format),
                                       fittedWidth, fittedHeight, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil)
        guard context != nil else {
            let name = av_get_pix_fmt_name(AVPixelFormat(source.format)).map { String(cString: $0) } ?? "format \(source.format)"
            throw TranscoderError(operation: "sws_getCachedContext",
                                  reason: .unexpectedDecoderOutput("cannot scale \(name) \(source.width)x\(source.height)"))
        }
    }

    /// Paints `area` of a YUV 4:2:0 picture black.
    static func fillBlack(_ output: UnsafeMutablePointer<AVFrame>, _ area: Area) {
        output.picture.fill(x: Int(area.x), y: Int(area.y), width: Int(area.width), height: Int(area.height), with: .black)
    }

    /// Lets the conversion go; the scaler prepares a new one if used again.
    mutating func release() {
        sws_freeContext(context)
        context = nil
        source = (0, 0, -1)
    }
}

extension UnsafeMutablePointer where Pointee == AVFrame {
    /// A YUV 4:2:0 frame's planes as a `PlanarPicture`, to draw on.
    var picture: PlanarPicture {
        let planes = self.planes
        let lines = lineSizes
        return PlanarPicture(luma: planes[0]!, blueDifference: planes[1]!, redDifference: planes[2]!,
                             lumaStride: Int(lines[0]), chromaStride: Int(lines[1]),
                             width: Int(pointee.width), height: Int(pointee.height))
    }
}
