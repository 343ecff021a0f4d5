/// The loss fields of one source's reception report blocks (RFC 3550 §6.4.1), computed as §A.3
/// does: cumulative loss from totals, fraction lost over the interval since the last report.
public struct ReceptionLossCounter: Sendable, Hashable {
    private var expectedPrior: Int64 = 0
    private var receivedPrior: Int64 = 0

    public init() {}

    /// The fields for the next report, from the totals so far: `expected` is the extended
    /// highest sequence number minus the first one plus 1, `received` counts every packet that
    /// arrived (duplicates and late ones too, §6.4.1). Remembers both for the next interval.
    public mutating func nextReport(expected: Int64, received: Int64) -> (fractionLost: UInt8, cumulativeLost: Int32) {
        let fraction = Self.fractionLost(
            expectedInInterval: expected - expectedPrior, receivedInInterval: received - receivedPrior)
        expectedPrior = expected
        receivedPrior = received
        return (fraction, Self.cumulativeLost(expected: expected, received: received))
    }

    /// expected − received, clamped to the signed 24 bits of the field (§A.3: 0x7FFFFF for
    /// loss, 0x800000 for an excess of duplicates).
    public static func cumulativeLost(expected: Int64, received: Int64) -> Int32 {
        let (lost, overflow) = expected.subtractingReportingOverflow(received)
        if overflow { return expected < received ? -0x80_0000 : 0x7F_FFFF }
        return Int32(min(max(lost, -0x80_0000), 0x7F_FFFF))
    }

    /// (lost << 8) / expected over one interval (§A.3), 0 when nothing was expected or nothing
    /// lost (duplicates can make the count negative). Every packet lost gives 256, which does not
    /// fit the 8-bit field: it is reported as 255, as libwebrtc does.
    public static func fractionLost(expectedInInterval expected: Int64, receivedInInterval received: Int64) -> UInt8 {
        let (lost, overflow) = expected.subtractingReportingOverflow(received)
        guard expected > 0, !overflow, lost > 0 else { return 0 }
        guard lost < expected else { return 255 }
        // In 128 bits, so huge totals cannot overflow; lost < expected keeps the quotient < 256.
        let quotient = expected.dividingFullWidth(lost.multipliedFullWidth(by: 256)).quotient
        return UInt8(clamping: quotient)
    }
}
