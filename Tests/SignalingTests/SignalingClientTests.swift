import SignalingTestSupport
import Foundation
import JSON
import Logging
import Signaling
import SignalingServer
import Testing

/// Collects a client's events so tests can wait for the next one with a deadline.
actor EventRecorder {
    private var events: [SignalingEvent] = []
    func append(_ event: SignalingEvent) { events.append(event) }
    func take() -> SignalingEvent? { events.isEmpty ? nil : events.removeFirst() }
}

struct RunningClient {
    let client: SignalingClient
    let task: Task<Void, any Error>
    let recorder: EventRecorder

    static func start(url: String, room: String, token: String? = nil, backoff: ReconnectBackoff = ReconnectBackoff(initial: .milliseconds(50), maximum: .milliseconds(400)),
                      joinAnswerWait: Duration = .milliseconds(1_500)) -> RunningClient {
        var configuration = SignalingClientConfiguration(url: url, room: room, token: token)
        configuration.backoff = backoff
        configuration.joinAnswerWait = joinAnswerWait
        var logger = Logger(label: "test.client")
        logger.logLevel = .critical
        let client = SignalingClient(configuration: configuration, logger: logger)
        let recorder = EventRecorder()
        let task = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for await event in client.events { await recorder.append(event) } }
                try await client.run()
                try await group.waitForAll()
            }
        }
        return RunningClient(client: client, task: task, recorder: recorder)
    }

    func next(timeout: Duration = .seconds(10), where matches: (SignalingEvent) -> Bool = { _ in true }) async throws -> SignalingEvent {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let event = await recorder.take() {
                if matches(event) { return event }
                continue
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("no matching event within \(timeout)")
    }

    func joinedID(timeout: Duration = .seconds(10)) async throws -> (String, [String]) {
        guard case .joined(let id, let peers, _, _) = try await next(timeout: timeout, where: { if case .joined = $0 { true } else { false } }) else {
            throw TestFailure("unreachable")
        }
        return (id, peers)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

@Suite("Signaling client")
struct SignalingClientTests {
    @Test("two clients negotiate through the server with typed messages")
    func clientsExchangeMessages() async throws {
        let server = try await TestSignalingServer.start()
        defer { Task { await server.stop() } }
        let first = RunningClient.start(url: server.url, room: "pair")
        let (firstID, _) = try await first.joinedID()
        let second = RunningClient.start(url: server.url, room: "pair")
        let (secondID, peers) = try await second.joinedID()
        #expect(peers == [firstID])
        #expect(try await first.next() == .message(.peerJoined(id: secondID)))

        let offer = SessionDescription(type: "offer", sdp: "v=0\r\n")
        try second.client.send(.offer(offer, Routing(to: firstID)))
        #expect(try await first.next() == .message(.offer(offer, Routing(from: secondID, to: firstID))))
        try first.client.send(.iceCandidate(nil, Routing(to: secondID)))
        #expect(try await second.next() == .message(.iceCandidate(nil, Routing(from: firstID, to: secondID))))
        await first.stop()
        #expect(try await second.next() == .message(.peerLeft(id: firstID)))
        await second.stop()
    }

    @Test("the client reconnects and joins again after the server restarts")
    func reconnectsAfterServerRestart() async throws {
        let server = try await TestSignalingServer.start()
        let port = server.port
        let client = RunningClient.start(url: server.url, room: "resilient")
        let (firstID, _) = try await client.joinedID()

        await server.stop()
        _ = try await client.next(where: { if case .disconnected = $0 { true } else { false } })
        #expect(throws: SignalingClientError.notConnected) {
            try client.client.send(.offer(SessionDescription(type: "offer", sdp: ""), Routing()))
        }
        // Let a few reconnect attempts fail against the closed port before the server returns.
        try await Task.sleep(for: .milliseconds(500))

        let restarted = try await TestSignalingServer.start(port: port)
        defer { Task { await restarted.stop() } }
        let (secondID, _) = try await client.joinedID()
        #expect(secondID != firstID)

        // It is really in the room again: a newcomer sees it and can reach it.
        let (peer, peerID) = try await RawPeer.joined(restarted.url, room: "resilient")
        #expect(try await client.next() == .message(.peerJoined(id: peerID)))
        try client.client.send(.answer(SessionDescription(type: "answer", sdp: "v=0\r\n"), Routing(to: peerID)))
        #expect(try await peer.nextMessage().type == "answer")
        await peer.close()
        await client.stop()
    }

    @Test("a server that never answers join is taken for a plain room after the wait, again after it restarts")
    func plainRoomAfterTheWait() async throws {
        let server = try await PlainRelayServer.start()
        let port = server.port
        let started = ContinuousClock.now
        let client = RunningClient.start(url: server.url, room: "plain", joinAnswerWait: .milliseconds(300))
        #expect(try await client.next(timeout: .seconds(30)) == .enteredPlainRoom)  // a bound, not a speed
        #expect(ContinuousClock.now - started >= .milliseconds(300))

        // What it sends carries no routing: the room relays it verbatim to everyone else.
        let peer = try await RawPeer.connect(server.url)
        peer.send(#"{"type":"join","room":"plain"}"#)
        try await Task.sleep(for: .milliseconds(200))
        try client.client.send(.offer(SessionDescription(type: "offer", sdp: "v=0\r\n"), Routing()))
        let relayed = try await peer.nextObject()
        #expect(relayed["type"] == .string("offer") && relayed["from"] == nil && relayed["to"] == nil, "\(relayed)")
        await peer.close()

        await server.stop()
        _ = try await client.next(where: { if case .disconnected = $0 { true } else { false } })
        let restarted = try await PlainRelayServer.start(port: port)
        defer { Task { await restarted.stop() } }
        // After the failed attempts' `disconnected` events, if any.
        #expect(try await client.next(timeout: .seconds(10), where: { $0 == .enteredPlainRoom }) == .enteredPlainRoom)
        await client.stop()
    }

    @Test("a relayed message without `from` before any `joined` says plain room at once, ahead of the message")
    func plainRoomByAMessage() async throws {
        let server = try await PlainRelayServer.start()
        defer { Task { await server.stop() } }
        let client = RunningClient.start(url: server.url, room: "plain", joinAnswerWait: .seconds(30))
        try await Task.sleep(for: .milliseconds(300))  // its join is in
        let caller = try await RawPeer.connect(server.url)
        caller.send(#"{"type":"join","room":"plain"}"#)
        caller.send(#"{"type":"offer","sdp":{"type":"offer","sdp":"v=0\r\n"}}"#)
        #expect(try await client.next(timeout: .seconds(30)) == .enteredPlainRoom)  // a bound, not a speed
        #expect(try await client.next(timeout: .seconds(5))
            == .message(.offer(SessionDescription(type: "offer", sdp: "v=0\r\n"), Routing())))
        await caller.close()
        await client.stop()
    }

    @Test("a refused join stops the client with the server's reason")
    func refusedJoinStops() async throws {
        let server = try await TestSignalingServer.start { $0.token = "right" }
        defer { Task { await server.stop() } }
        let client = RunningClient.start(url: server.url, room: "locked", token: "wrong")
        let result = await client.task.result
        #expect(throws: SignalingClientError.joinRefused(reason: "invalid token")) { try result.get() }
    }

    @Test("a URL that is not ws:// or wss:// is refused before connecting")
    func invalidURL() async throws {
        let client = SignalingClient(configuration: .init(url: "http://127.0.0.1:1/", room: "x"))
        await #expect(throws: SignalingClientError.invalidURL("http://127.0.0.1:1/")) { try await client.run() }
    }
}
