/// One colour for the whole test picture instead of the moving pattern: synthetic participants
/// told apart by colour, as a composite's tiles are checked. R'G'B' in 0…1.
public struct TestPatternColour: Sendable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double

    var planar: PlanarPicture.Colour { PlanarPicture.Colour(red: red, green: green, blue: blue) }
}

extension TestPatternColour {
    /// From `RRGGBB` hex digits (a leading `#` allowed); nil for anything else.
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(red: Double(value >> 16 & 0xFF) / 255, green: Double(value >> 8 & 0xFF) / 255, blue: Double(value & 0xFF) / 255)
    }
}
