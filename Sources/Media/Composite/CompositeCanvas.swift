internal import CFFmpeg

/// The picture a room's composite is drawn on: one YUV 4:2:0 frame of the output's size, kept
/// from one output frame to the next so that a tile whose picture did not change is not drawn
/// again. Tiles are participants' newest pictures (`VideoTileDecoder`, letterboxed into their
/// area) or, for someone without video, their name on a plain tile.
///
/// Not thread-safe, and not Sendable: the recording's media thread owns it.
public final class CompositeCanvas {
    public let width: Int
    public let height: Int
    /// Where there is no tile, and the bars around a picture of another shape.
    static let background = PlanarPicture.Colour.black
    /// A tile with a name on it: a dark slate, so it reads as a tile and not as a gap.
    static let nameTile = PlanarPicture.Colour(red: 0.18, green: 0.2, blue: 0.24)

    let frame: UnsafeMutablePointer<AVFrame>

    public init(width: Int, height: Int) throws(TranscoderError) {
        self.width = width & ~1
        self.height = height & ~1
        frame = try VideoFrameScaler.makePicture(width: Int32(self.width), height: Int32(self.height))
        frame.picture.fill(x: 0, y: 0, width: self.width, height: self.height, with: Self.background)
    }

    deinit {
        var owned: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&owned)
    }

    /// Makes the canvas writable before drawing: the encoder may still hold the last picture
    /// drawn (a copy is then made, contents and all).
    public func prepareForDrawing() throws(TranscoderError) {
        let status = av_frame_make_writable(frame)
        guard status >= 0 else { throw TranscoderError(operation: "av_frame_make_writable", code: status) }
    }

    /// Paints `area` (the whole canvas when nil) with the background.
    public func clear(_ area: CanvasArea? = nil) {
        let area = area ?? CanvasArea(x: 0, y: 0, width: width, height: height)
        frame.picture.fill(x: area.x, y: area.y, width: area.width, height: area.height, with: Self.background)
    }

    /// Draws `decoder`'s newest picture into `area`, letterboxed. `paintBars`: the area held
    /// something else before (a new layout), so the bars around the picture are painted too.
    public func draw(_ decoder: VideoTileDecoder, in area: CanvasArea, paintBars: Bool) throws(TranscoderError) {
        try decoder.draw(into: frame, area: area.scalerArea, paintBars: paintBars)
    }

    /// A plain tile with `name` written across its middle, as large as fits (within a tenth of
    /// the tile's height, so it reads as a caption, not a poster).
    public func drawName(_ name: String, in area: CanvasArea) {
        let picture = frame.picture
        picture.fill(x: area.x, y: area.y, width: area.width, height: area.height, with: Self.nameTile)
        let text = String(name.prefix(32))
        let textWidth = BitmapFont.width(of: text)
        guard textWidth > 0 else { return }
        // Even scales only: the picture fills in 2x2 blocks (4:2:0).
        let fits = min(area.width * 9 / 10 / textWidth, area.height / 10 / BitmapFont.glyphHeight)
        let scale = max(2, fits & ~1)
        let x = area.x + (area.width - textWidth * scale) / 2
        let y = area.y + (area.height - BitmapFont.glyphHeight * scale) / 2
        BitmapFont.draw(text, at: x, y, scale: scale, colour: .white, on: picture)
    }

    /// The mean of each plane over `area`: what a test reads a tile's colour by.
    func meanColour(in area: CanvasArea) -> (y: Double, cb: Double, cr: Double) {
        let picture = frame.picture
        var sums = (0.0, 0.0, 0.0)
        for row in area.y..<(area.y + area.height) {
            for column in area.x..<(area.x + area.width) {
                sums.0 += Double(picture.luma[row * picture.lumaStride + column])
            }
        }
        for row in (area.y / 2)..<((area.y + area.height) / 2) {
            for column in (area.x / 2)..<((area.x + area.width) / 2) {
                sums.1 += Double(picture.blueDifference[row * picture.chromaStride + column])
                sums.2 += Double(picture.redDifference[row * picture.chromaStride + column])
            }
        }
        let luma = Double(area.width * area.height), chroma = luma / 4
        return (sums.0 / luma, sums.1 / chroma, sums.2 / chroma)
    }
}
