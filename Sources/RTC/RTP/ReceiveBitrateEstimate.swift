/// A receiver-side bandwidth estimate for senders that take REMB but not transport-cc (aiortc,
/// older endpoints): grows while the streams arrive without loss, holds under moderate loss and
/// backs off under heavy loss, like the loss-based half of GCC (draft-ietf-rmcat-gcc-02 §6).
struct ReceiveBitrateEstimate {
    static let initial: UInt64 = 300_000
    static let maximum: UInt64 = 10_000_000

    private(set) var estimate: UInt64 = initial
    private var lastCounts: (received: Int, lost: Int, bytes: Int)?
    private var lastTime: ContinuousClock.Instant?

    mutating func update(streams: [InboundStream], now: ContinuousClock.Instant) -> UInt64 {
        var received = 0, lost = 0, bytes = 0
        for stream in streams {
            received += stream.stats.packetsReceived
            lost += stream.stats.packetsLost + stream.missingCount
            bytes += stream.stats.bytesReceived
        }
        defer {
            lastCounts = (received, lost, bytes)
            lastTime = now
        }
        guard let lastCounts, let lastTime, now > lastTime else { return estimate }
        let newPackets = received - lastCounts.received
        let newLost = max(0, lost - lastCounts.lost)
        let lossFraction = newPackets + newLost > 0 ? Double(newLost) / Double(newPackets + newLost) : 0
        let incoming = Double(bytes - lastCounts.bytes) * 8 / (now - lastTime).seconds
        if lossFraction > 0.10 {
            estimate = UInt64(max(Double(Self.initial) / 3, incoming * (1 - 0.5 * lossFraction)))
        } else if lossFraction < 0.02 {
            estimate = UInt64(max(Double(estimate), incoming) * 1.08)
        }
        estimate = min(Self.maximum, estimate)
        return estimate
    }
}
