/// A 64-bit NTP timestamp as RTCP carries it (RFC 3550 §4): whole seconds since 1900-01-01 in
/// the high 32 bits, the fraction of a second in the low 32.
public struct NTPTimestamp: RawRepresentable, Sendable, Hashable, Comparable {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init(seconds: UInt32, fraction: UInt32) {
        rawValue = UInt64(seconds) << 32 | UInt64(fraction)
    }

    /// Seconds since 1900, truncated to 2^-32 s; clamped to the era (0 ..< 2^32 s), NaN as 0.
    public init(secondsSince1900: Double) {
        if !(secondsSince1900 > 0) {
            rawValue = 0
        } else if secondsSince1900 >= 4_294_967_296 {
            rawValue = .max
        } else {
            // Scaling by 2^32 is exact in binary floating point, and stays below 2^64 here.
            rawValue = UInt64(secondsSince1900 * 4_294_967_296)
        }
    }

    public var seconds: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    public var fraction: UInt32 { UInt32(truncatingIfNeeded: rawValue) }

    public var secondsSince1900: Double { Double(seconds) + Double(fraction) / 4_294_967_296 }

    /// The middle 32 bits (16.16 fixed point): the form of a report block's LSR field (§6.4.1),
    /// which a sender matches against the SRs it sent.
    public var compact: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 16) }

    /// A duration in the 16.16 compact form, 1/65536 s units: a report block's DLSR (§6.4.1).
    /// Clamped to 0 ... 2^16 s; NaN as 0.
    public static func compactDuration(seconds: Double) -> UInt32 {
        guard seconds > 0 else { return 0 }
        let units = seconds * 65_536
        return units >= 4_294_967_295 ? .max : UInt32(units)
    }

    /// As `compactDuration(seconds:)`, in integer arithmetic: 1/65536 s is exactly
    /// 15_258_789_062_500 attoseconds.
    public static func compactDuration(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, seconds < 65_536 else { return seconds < 0 ? 0 : .max }
        let units = seconds * 65_536 + attoseconds / 15_258_789_062_500
        return UInt32(clamping: max(0, units))
    }

    public static func < (lhs: NTPTimestamp, rhs: NTPTimestamp) -> Bool { lhs.rawValue < rhs.rawValue }
}
