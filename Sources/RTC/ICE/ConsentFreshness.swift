/// Consent freshness (RFC 7675) and liveness on the selected pair: when the next consent
/// request goes, when consent has expired for want of answers (the call fails), and when a peer
/// that has sent nothing for a while counts as disconnected. Started when a pair is selected,
/// reset by an ICE restart.
struct ConsentFreshness {
    /// The selected pair's remote address: what is heard from it is proof of life.
    private(set) var peer: TransportAddress?
    private(set) var lastAnsweredAt: ContinuousClock.Instant?
    private(set) var nextRequestAt: ContinuousClock.Instant?
    private(set) var lastHeardAt: ContinuousClock.Instant?

    /// A pair to `peer` was selected: selection counts as consent and as being heard.
    mutating func start(peer: TransportAddress, now: ContinuousClock.Instant, firstRequestAfter delay: Duration) {
        self.peer = peer
        lastAnsweredAt = now
        lastHeardAt = now
        nextRequestAt = now + delay
    }

    mutating func reset() { self = ConsentFreshness() }

    /// Anything from `source` (a datagram let through, a check, an answer). Called per packet.
    /// True when it came from the selected pair's peer.
    @inline(__always)
    mutating func heard(from source: TransportAddress, now: ContinuousClock.Instant) -> Bool {
        guard let peer, peer == source else { return false }
        lastHeardAt = now
        return true
    }

    mutating func answered(now: ContinuousClock.Instant) { lastAnsweredAt = now }

    func requestDue(now: ContinuousClock.Instant) -> Bool { nextRequestAt.map { $0 <= now } ?? false }

    mutating func requestSent(now: ContinuousClock.Instant, nextAfter delay: Duration) { nextRequestAt = now + delay }

    func expired(now: ContinuousClock.Instant, timeout: Duration) -> Bool {
        lastAnsweredAt.map { now >= $0 + timeout } ?? false
    }

    func silent(now: ContinuousClock.Instant, for limit: Duration) -> Bool {
        lastHeardAt.map { now >= $0 + limit } ?? false
    }

    /// The next request, expiry and (while connected) the moment silence becomes a disconnection.
    func nextTimeout(timeout: Duration, disconnectedAfter: Duration, connected: Bool) -> ContinuousClock.Instant? {
        var earliest = nextRequestAt
        func consider(_ deadline: ContinuousClock.Instant?) {
            guard let deadline else { return }
            if earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        consider(lastAnsweredAt.map { $0 + timeout })
        if connected { consider(lastHeardAt.map { $0 + disconnectedAfter }) }
        return earliest
    }
}
