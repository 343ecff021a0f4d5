/// A YUV 4:2:0 picture (I420) in memory someone else owns: three planes and their strides. Sizes
/// are even, so each chroma sample covers exactly two by two luma samples.
struct PlanarPicture {
    let luma: UnsafeMutablePointer<UInt8>
    let blueDifference: UnsafeMutablePointer<UInt8>
    let redDifference: UnsafeMutablePointer<UInt8>
    let lumaStride: Int
    let chromaStride: Int
    let width: Int
    let height: Int

    /// A colour as BT.601 limited-range Y'CbCr.
    struct Colour: Hashable {
        var y: UInt8
        var cb: UInt8
        var cr: UInt8

        static let black = Colour(y: 16, cb: 128, cr: 128)
        static let white = Colour(y: 235, cb: 128, cr: 128)

        /// From R'G'B' in 0…1 (BT.601).
        init(red: Double, green: Double, blue: Double) {
            y = UInt8((16 + 65.481 * red + 128.553 * green + 24.966 * blue).rounded())
            cb = UInt8((128 - 37.797 * red - 74.203 * green + 112 * blue).rounded())
            cr = UInt8((128 + 112 * red - 93.786 * green - 18.214 * blue).rounded())
        }

        init(y: UInt8, cb: UInt8, cr: UInt8) {
            self.y = y
            self.cb = cb
            self.cr = cr
        }
    }

    /// Fills a rectangle, clipped to the picture; x, y, width and height are rounded to even so
    /// the chroma planes cover the same area.
    func fill(x: Int, y: Int, width: Int, height: Int, with colour: Colour) {
        let left = max(0, x & ~1), top = max(0, y & ~1)
        let right = min(self.width, (x + width + 1) & ~1), bottom = min(self.height, (y + height + 1) & ~1)
        guard left < right, top < bottom else { return }
        for row in top ..< bottom {
            (luma + row * lumaStride + left).update(repeating: colour.y, count: right - left)
        }
        for row in top / 2 ..< bottom / 2 {
            (blueDifference + row * chromaStride + left / 2).update(repeating: colour.cb, count: (right - left) / 2)
            (redDifference + row * chromaStride + left / 2).update(repeating: colour.cr, count: (right - left) / 2)
        }
    }

    /// Copies `source` (same size) into this picture, row by row.
    func copy(from source: PlanarPicture) {
        for row in 0 ..< height {
            (luma + row * lumaStride).update(from: source.luma + row * source.lumaStride, count: width)
        }
        for row in 0 ..< height / 2 {
            (blueDifference + row * chromaStride).update(from: source.blueDifference + row * source.chromaStride, count: width / 2)
            (redDifference + row * chromaStride).update(from: source.redDifference + row * source.chromaStride, count: width / 2)
        }
    }
}
