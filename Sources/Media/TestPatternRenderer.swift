import Foundation

/// Draws the test signal's pictures: for `.moving`, 75% colour bars over a grey ramp, a white
/// bar sweeping across every two seconds, a square of noise gliding around and a frame counter;
/// for `.flashBeep`, black with a white picture in the first 100 ms of each second. Every frame
/// differs and says which it is; the noise, new in every frame, is what no encoder can predict,
/// so a constant-bitrate encoder spends the bitrate asked for, as it would on a camera. Given
/// a colour, `.moving` is that colour alone and still: a participant a composite's test can
/// tell apart by colour.
final class TestPatternRenderer {
    let width: Int
    let height: Int
    let pattern: TestSignalPattern
    private let background: [UInt8]
    private let counter: SevenSegmentCounter
    /// The moving pattern is one colour, still (no bar, noise or counter).
    private let isSolid: Bool

    /// The background, once: Y then Cb then Cr, unpadded.
    init(width: Int, height: Int, pattern: TestSignalPattern, colour: TestPatternColour? = nil) {
        self.width = width
        self.height = height
        self.pattern = pattern
        isSolid = pattern == .moving && colour != nil
        counter = SevenSegmentCounter(digits: 6, digitHeight: max(8, height / 10) & ~1)
        var planes = [UInt8](repeating: 0, count: width * height * 3 / 2)
        planes.withUnsafeMutableBufferPointer { buffer in
            let picture = Self.picture(in: buffer.baseAddress!, width: width, height: height)
            guard pattern == .moving else {
                picture.fill(x: 0, y: 0, width: width, height: height, with: .black)
                return
            }
            if let colour {
                picture.fill(x: 0, y: 0, width: width, height: height, with: colour.planar)
                return
            }
            let bars: [(Double, Double, Double)] = [(1, 1, 1), (1, 1, 0), (0, 1, 1), (0, 1, 0), (1, 0, 1), (1, 0, 0), (0, 0, 1)]
            let barsHeight = height * 2 / 3
            for (index, bar) in bars.enumerated() {
                let left = index * width / bars.count, right = (index + 1) * width / bars.count
                picture.fill(x: left, y: 0, width: right - left, height: barsHeight,
                             with: PlanarPicture.Colour(red: bar.0 * 0.75, green: bar.1 * 0.75, blue: bar.2 * 0.75))
            }
            let steps = 16
            for step in 0 ..< steps {
                let left = step * width / steps, right = (step + 1) * width / steps
                let level = Double(step) / Double(steps - 1)
                picture.fill(x: left, y: barsHeight, width: right - left, height: height - barsHeight,
                             with: PlanarPicture.Colour(red: level, green: level, blue: level))
            }
        }
        background = planes
    }

    /// Draws frame `index` of a stream at `framesPerSecond` into `picture` (same size).
    func render(frame index: Int, framesPerSecond: Int, into picture: PlanarPicture) {
        switch pattern {
        case .flashBeep:
            let flash = TestSignalPattern.isMarked(ticks: Int64(index), rate: Int64(framesPerSecond))
            picture.fill(x: 0, y: 0, width: width, height: height, with: flash ? .white : .black)
        case .moving:
            background.withUnsafeBufferPointer { buffer in
                let source = Self.picture(in: UnsafeMutablePointer(mutating: buffer.baseAddress!), width: width, height: height)
                picture.copy(from: source)
            }
            guard !isSolid else { return }
            let barWidth = max(2, width / 40)
            let period = 2 * framesPerSecond
            let x = (index % period) * (width - barWidth) / max(1, period - 1)
            picture.fill(x: x, y: 0, width: barWidth, height: height, with: .white)
            drawNoiseSquare(frame: index, framesPerSecond: framesPerSecond, on: picture)
            let margin = max(2, height / 30)
            counter.draw(index, at: margin, margin, on: picture)
        }
    }

    /// A square a quarter of the height, of 8×8 blocks of random grey, new every frame, moving
    /// on a slow Lissajous path over the colour bars.
    private func drawNoiseSquare(frame index: Int, framesPerSecond: Int, on picture: PlanarPicture) {
        let block = 8
        let side = max(block, height / 4 / block * block)
        let seconds = Double(index) / Double(framesPerSecond)
        let x = Int(Double(width - side) * (0.5 + 0.5 * sin(2 * Double.pi * seconds / 5)))
        let y = Int(Double(height * 2 / 3 - side) * (0.5 + 0.5 * sin(2 * Double.pi * seconds / 3.5)))
        var state = UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15 | 1
        for row in stride(from: 0, to: side, by: block) {
            for column in stride(from: 0, to: side, by: block) {
                // xorshift64: cheap, and the same picture for the same frame every time.
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                let level = UInt8(16 + state % 220)
                picture.fill(x: x + column, y: y + row, width: block, height: block,
                             with: PlanarPicture.Colour(y: level, cb: 128, cr: 128))
            }
        }
    }

    private static func picture(in base: UnsafeMutablePointer<UInt8>, width: Int, height: Int) -> PlanarPicture {
        PlanarPicture(luma: base, blueDifference: base + width * height, redDifference: base + width * height * 5 / 4,
                      lumaStride: width, chromaStride: width / 2, width: width, height: height)
    }
}
