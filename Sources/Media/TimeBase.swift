/// The unit of a track's timestamps, as a fraction of a second: 1/90000 for RTP video clocks,
/// 1/48000 for Opus.
public struct TimeBase: Sendable, Hashable, CustomStringConvertible {
    public var numerator: Int32
    public var denominator: Int32

    public init(_ numerator: Int32, _ denominator: Int32) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The RTP clock of every video codec (RFC 7741, RFC 6184, RFC 9628).
    public static let rtpVideo = TimeBase(1, 90_000)

    /// One tick per sample at `rate` Hz (Opus is always 48 kHz on the wire, RFC 7587).
    public static func samples(_ rate: Int32) -> TimeBase { TimeBase(1, rate) }

    public var isValid: Bool { numerator > 0 && denominator > 0 }

    public var description: String { "\(numerator)/\(denominator)" }
}
