/// A rectangle of a composite's canvas, in pixels from its top left. Tiles are placed on even
/// coordinates with even sizes, so each chroma sample of 4:2:0 covers one tile only.
public struct CanvasArea: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    var scalerArea: FittedPictureScaler.Area {
        FittedPictureScaler.Area(x: Int32(x), y: Int32(y), width: Int32(width), height: Int32(height))
    }
}
