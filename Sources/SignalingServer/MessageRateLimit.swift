/// How fast one client may send: a token bucket of `burst` messages refilled at `perSecond`.
/// A client over it is throttled — the server reads its next message only once a token is
/// there, so TCP pushes back on the flood — rather than disconnected: a burst of trickled
/// candidates is normal, a steady flood only slows its sender. Sans-IO: the caller passes the time.
struct MessageRateLimit: Sendable {
    let perSecond: Double
    let burst: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    init(perSecond: Double, burst: Int, now: ContinuousClock.Instant) {
        self.perSecond = perSecond
        self.burst = Double(burst)
        tokens = Double(burst)
        updated = now
    }

    /// Takes a token for one message; how long to wait first (zero when one is there).
    mutating func take(now: ContinuousClock.Instant) -> Duration {
        tokens = min(burst, tokens + (now - updated).inSeconds * perSecond)
        updated = now
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .seconds(-tokens / perSecond)
    }
}

private extension Duration {
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
