/// Draws a number as seven-segment digits, white on a black plate: the test pattern's frame
/// counter, readable in any recording frame (and by eye when a frame is frozen or repeated).
struct SevenSegmentCounter {
    /// Segments a–g (top, top right, bottom right, bottom, bottom left, top left, middle) lit per digit.
    private static let segments: [UInt8] = [
        0b011_1111, 0b000_0110, 0b101_1011, 0b100_1111, 0b110_0110,
        0b110_1101, 0b111_1101, 0b000_0111, 0b111_1111, 0b110_1111,
    ]

    let digits: Int
    let digitHeight: Int

    var digitWidth: Int { digitHeight / 2 }
    var thickness: Int { max(2, digitHeight / 8) }
    var spacing: Int { max(2, digitHeight / 4) }
    var plateWidth: Int { digits * (digitWidth + spacing) + spacing }
    var plateHeight: Int { digitHeight + 2 * spacing }

    /// Draws `value` (its last `digits` decimal digits, zero-padded) with the plate's top left at (x, y).
    func draw(_ value: Int, at x: Int, _ y: Int, on picture: PlanarPicture) {
        picture.fill(x: x, y: y, width: plateWidth, height: plateHeight, with: .black)
        var remaining = max(0, value)
        for position in (0 ..< digits).reversed() {
            let digit = remaining % 10
            remaining /= 10
            drawDigit(digit, at: x + spacing + position * (digitWidth + spacing), y + spacing, on: picture)
        }
    }

    private func drawDigit(_ digit: Int, at x: Int, _ y: Int, on picture: PlanarPicture) {
        let lit = Self.segments[digit]
        let width = digitWidth, half = digitHeight / 2, line = thickness
        let bars: [(x: Int, y: Int, width: Int, height: Int)] = [
            (x, y, width, line),                          // a
            (x + width - line, y, line, half),            // b
            (x + width - line, y + half, line, half),     // c
            (x, y + digitHeight - line, width, line),     // d
            (x, y + half, line, half),                    // e
            (x, y, line, half),                           // f
            (x, y + half - line / 2, width, line),        // g
        ]
        for (index, bar) in bars.enumerated() where lit & (1 << index) != 0 {
            picture.fill(x: bar.x, y: bar.y, width: bar.width, height: bar.height, with: .white)
        }
    }
}
