import Foundation
import Signaling
@testable import SignalingServer
import SignalingTestSupport
import Testing

/// The room server's defences against clients that hold resources: too many connections,
/// connections that never join, floods, and clients that stop reading (the last also end to end
/// in Tests/e2e/test_signal_limits.py, where a client can really stop reading its socket).
@Suite struct SignalingServerLimitsTests {
    private func waitUntilClosed(_ peer: RawPeer, within timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if peer.isClosed { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return peer.isClosed
    }

    @Test("a connection that does not join within the deadline is told why and closed; one that joins stays")
    func joinDeadline() async throws {
        let server = try await TestSignalingServer.start { $0.joinDeadline = .milliseconds(500) }
        defer { Task { await server.stop() } }
        let idle = try await RawPeer.connect(server.url)
        let (member, _) = try await RawPeer.joined(server.url, room: "r")
        guard case .error(let reason) = try await idle.nextMessage(timeout: .seconds(3)) else {
            Issue.record("no error before the close")
            return
        }
        #expect(reason.hasPrefix("join a room within"))
        #expect(try await waitUntilClosed(idle, within: .seconds(3)))
        try await Task.sleep(for: .milliseconds(300))
        #expect(!member.isClosed)
        await idle.close()
        await member.close()
    }

    @Test("beyond the connection limit a connection is closed at once; the others carry on")
    func connectionLimit() async throws {
        let server = try await TestSignalingServer.start { $0.maxConnections = 2 }
        defer { Task { await server.stop() } }
        let (first, _) = try await RawPeer.joined(server.url, room: "r")
        let (second, secondID) = try await RawPeer.joined(server.url, room: "r")
        let third = try await RawPeer.connect(server.url)
        #expect(try await waitUntilClosed(third, within: .seconds(3)))
        // The two inside still talk.
        first.send(.offer(SessionDescription(type: "offer", sdp: "v=0"), Routing(to: secondID)))
        guard case .offer = try await second.nextMessage() else {
            Issue.record("the offer did not arrive")
            return
        }
        await first.close()
        // A slot is free again.
        try await Task.sleep(for: .milliseconds(200))
        let (fourth, _) = try await RawPeer.joined(server.url, room: "r")
        #expect(!fourth.isClosed)
        for peer in [second, third, fourth] { await peer.close() }
    }

    @Test("the rate limit lets a burst through, then spaces messages at the rate")
    func rateLimit() {
        let start = ContinuousClock.now
        var limit = MessageRateLimit(perSecond: 10, burst: 3, now: start)
        #expect((0..<3).map { _ in limit.take(now: start) } == [.zero, .zero, .zero])
        #expect(limit.take(now: start) == .milliseconds(100))
        #expect(limit.take(now: start) == .milliseconds(200))
        // A quiet second refills the bucket, up to the burst.
        let later = start + .seconds(10)
        #expect((0..<3).map { _ in limit.take(now: later) } == [.zero, .zero, .zero])
        #expect(limit.take(now: later) > .zero)
    }

    @Test("an outbox that overflows stays overflowed, says so once, and its writer can tell")
    func outboxOverflow() async {
        let outbox = PeerOutbox(maxMessages: 3, maxBytes: 1_000)
        #expect(outbox.yield(.text("a")) && outbox.yield(.text("b")) && outbox.yield(.text("c")))
        #expect(!outbox.isOverflowed)
        #expect(!outbox.yield(.text("d")))
        #expect(outbox.isOverflowed)
        var signals = 0
        for await _ in outbox.overflows { signals += 1 }
        #expect(signals == 1)
        outbox.taken(.text("a"))
        #expect(!outbox.yield(.text("e")), "nothing is queued after an overflow, even with room again")
        let bytes = PeerOutbox(maxMessages: 100, maxBytes: 10)
        #expect(bytes.yield(.text("12345")) && !bytes.yield(.text("123456")))
    }
}
