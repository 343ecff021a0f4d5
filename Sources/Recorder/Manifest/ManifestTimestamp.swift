import Foundation

/// A wall-clock instant in the manifest: ISO 8601 in UTC with milliseconds
/// (`2026-11-21T20:15:00.123Z`), whatever encoder the manifest goes through (the API's too).
/// Held as whole milliseconds, so a manifest read back equals the one written.
public struct ManifestTimestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let millisecondsSince1970: Int64

    public init(_ date: Date) {
        millisecondsSince1970 = Int64((date.timeIntervalSince1970 * 1_000).rounded())
    }

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1_000) }

    private static let secondsStyle = Date.ISO8601FormatStyle(timeZone: .gmt)
    private static let fractionalStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// Formatted from whole seconds plus the milliseconds, never from a `Double` that could
    /// print .122999 for .123.
    public var description: String {
        let (seconds, milliseconds) = millisecondsSince1970.floorDividedAndRemainder(by: 1_000)
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(Self.secondsStyle)
        let fraction = String(milliseconds + 1_000).dropFirst()  // 7 -> "007"
        return "\(whole.dropLast()).\(fraction)Z"
    }

    /// Parses the manifest's form, and also ISO 8601 without fractional seconds.
    public init?(_ text: String) {
        guard let date = (try? Self.fractionalStyle.parse(text)) ?? (try? Self.secondsStyle.parse(text)) else { return nil }
        self.init(date)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let timestamp = ManifestTimestamp(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an ISO 8601 time")
        }
        self = timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (lhs: ManifestTimestamp, rhs: ManifestTimestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }
}

private extension Int64 {
    /// Division rounding toward negative infinity, so instants before 1970 format correctly.
    func floorDividedAndRemainder(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = ((self % divisor) + divisor) % divisor
        return ((self - remainder) / divisor, remainder)
    }
}
