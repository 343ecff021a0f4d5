@testable import RTC
import Testing

@Suite("Consent freshness and liveness on the selected pair (RFC 7675)")
struct ConsentFreshnessTests {
    static let peer = TransportAddress(ip: IPAddress("203.0.113.7")!, port: 40_000)
    static let stranger = TransportAddress(ip: IPAddress("203.0.113.8")!, port: 40_000)

    @Test("not started: nothing due, nothing expires, nobody is heard")
    func idle() {
        var consent = ConsentFreshness()
        let now = ContinuousClock.now
        #expect(!consent.requestDue(now: now + .seconds(60)))
        #expect(!consent.expired(now: now + .seconds(60), timeout: .seconds(30)))
        let heard = consent.heard(from: Self.peer, now: now)
        #expect(!heard)
        #expect(consent.nextTimeout(timeout: .seconds(30), disconnectedAfter: .seconds(5), connected: true) == nil)
    }

    @Test("requests go at the interval; answers keep consent, silence past the timeout expires it")
    func requestsAndExpiry() {
        var consent = ConsentFreshness()
        let start = ContinuousClock.now
        consent.start(peer: Self.peer, now: start, firstRequestAfter: .seconds(5))
        #expect(!consent.requestDue(now: start + .seconds(4)))
        #expect(consent.requestDue(now: start + .seconds(5)))
        consent.requestSent(now: start + .seconds(5), nextAfter: .seconds(4))
        #expect(!consent.requestDue(now: start + .seconds(8)))
        consent.answered(now: start + .seconds(6))
        #expect(!consent.expired(now: start + .seconds(35), timeout: .seconds(30)))
        #expect(consent.expired(now: start + .seconds(36), timeout: .seconds(30)))
    }

    @Test("only the selected peer's datagrams are proof of life; silence past the limit is a disconnection")
    func liveness() {
        var consent = ConsentFreshness()
        let start = ContinuousClock.now
        consent.start(peer: Self.peer, now: start, firstRequestAfter: .seconds(5))
        let strangerHeard = consent.heard(from: Self.stranger, now: start + .seconds(4))
        #expect(!strangerHeard)
        #expect(consent.silent(now: start + .seconds(5), for: .seconds(5)))
        let peerHeard = consent.heard(from: Self.peer, now: start + .seconds(4))
        #expect(peerHeard)
        #expect(!consent.silent(now: start + .seconds(5), for: .seconds(5)))
        // Earliest of the next request (5 s), expiry (30 s) and, while connected, silence (4 + 5 s).
        #expect(consent.nextTimeout(timeout: .seconds(30), disconnectedAfter: .seconds(5), connected: true) == start + .seconds(5))
        consent.requestSent(now: start + .seconds(5), nextAfter: .seconds(6))
        #expect(consent.nextTimeout(timeout: .seconds(30), disconnectedAfter: .seconds(5), connected: true) == start + .seconds(9))
        #expect(consent.nextTimeout(timeout: .seconds(30), disconnectedAfter: .seconds(5), connected: false) == start + .seconds(11))
        consent.reset()
        let heardAfterReset = consent.heard(from: Self.peer, now: start + .seconds(6))
        #expect(!heardAfterReset, "an ICE restart forgets the peer")
    }
}
