/// Maps one stream's RTP time to the sender's wall clock, from its latest RTCP sender report
/// (RFC 3550 §6.4.1): the SR pairs an NTP time with the RTP timestamp of the same instant, so
/// tracks of one participant — and of different participants — can be placed on one timeline.
struct SenderClock {
    /// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
    static let ntpToUnixSeconds: Double = 2_208_988_800

    let clockRate: Int64
    private(set) var lastReport: (ntp: UInt64, rtpTimestamp: Int64, arrival: ContinuousClock.Instant)?

    init(clockRate: Int64) {
        self.clockRate = clockRate
    }

    mutating func update(ntp: UInt64, rtpTimestamp: Int64, arrival: ContinuousClock.Instant) {
        lastReport = (ntp, rtpTimestamp, arrival)
    }

    /// The sender's wall-clock time (Unix seconds) of a frame with extended timestamp `rtpTimestamp`.
    func senderTime(ofRTPTimestamp rtpTimestamp: Int64) -> Double? {
        guard let lastReport, clockRate > 0 else { return nil }
        let reportSeconds = Double(lastReport.ntp >> 32) + Double(lastReport.ntp & 0xFFFF_FFFF) / 4_294_967_296
        return reportSeconds - Self.ntpToUnixSeconds + Double(rtpTimestamp - lastReport.rtpTimestamp) / Double(clockRate)
    }

    /// LSR and DLSR of a report block (RFC 3550 §6.4.1): the middle 32 bits of the last SR's NTP
    /// time, and the delay since it arrived in 1/65536 s.
    func reportTimes(now: ContinuousClock.Instant) -> (lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32) {
        guard let lastReport else { return (0, 0) }
        let delay = now - lastReport.arrival
        let units = (Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18) * 65_536
        return (UInt32(truncatingIfNeeded: lastReport.ntp >> 16), UInt32(clamping: Int64(max(0, units))))
    }
}
