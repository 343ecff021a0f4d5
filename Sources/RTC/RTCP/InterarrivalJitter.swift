/// Interarrival jitter of one RTP stream, as RFC 3550 §6.4.1 defines it and §A.8 computes it:
/// a running estimate of the variation in transit time, in RTP timestamp units, kept scaled by
/// 16 in integer arithmetic so it rounds the way other implementations' reports do.
public struct InterarrivalJitter: Sendable, Hashable {
    /// J × 16, so the 1/16 gain (§A.8) needs no division.
    private var scaledJitter: Int64 = 0
    /// Arrival minus RTP timestamp of the previous packet, in RTP units, modulo 2^32.
    private var previousTransit: UInt32?

    public init() {}

    /// The jitter to report in a reception report block (§6.4.1), in RTP timestamp units.
    public var value: UInt32 { UInt32(clamping: scaledJitter >> 4) }

    /// Folds in one packet: its arrival time on a clock that ticks at the stream's RTP clock rate
    /// (any origin), and its RTP timestamp. Retransmissions should not be passed (§6.4.1: they
    /// would count the repair delay as jitter).
    public mutating func update(arrivalInClockUnits arrival: Int64, rtpTimestamp: UInt32) {
        // Transit times are compared modulo 2^32 like the RFC's 32-bit code, so neither the
        // RTP timestamp wrapping nor the arrival clock's origin matters.
        let transit = UInt32(truncatingIfNeeded: arrival) &- rtpTimestamp
        defer { previousTransit = transit }
        guard let previousTransit else { return }
        let difference = Int64(Int32(bitPattern: transit &- previousTransit)).magnitude
        // J += (|D| - J) / 16, as §A.8: jitter += d - ((jitter + 8) >> 4) on the scaled value.
        scaledJitter += Int64(difference) - ((scaledJitter + 8) >> 4)
    }
}
