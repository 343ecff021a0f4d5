import SignalingTestSupport
import Foundation
import Signaling
import SignalingServer
import Testing

/// `tapedeck signal` with a token secret: who gets in, under which identity, and who records.
@Suite struct SignedRoomServerTests {
    static let secret = RoomTokenVerifierTests.secret

    static func start() async throws -> TestSignalingServer {
        try await TestSignalingServer.start { $0.roomTokenKey = .sharedSecret(secret) }
    }

    static func token(_ identity: String, room: String = "standup", recorder: Bool = false, ttl: Int = 600,
                      secret: String = secret) async throws -> String {
        try await RoomTokenIssuer(key: .sharedSecret(secret)).token(room: room, identity: identity, recorder: recorder,
                                                                     validFor: .seconds(ttl))
    }

    /// Waits for the server to close `peer`'s connection.
    static func waitUntilClosed(_ peer: RawPeer) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !peer.isClosed {
            if ContinuousClock.now > deadline { throw TestFailure("the server did not close the connection") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func theRoomKnowsPeersByTheirTokenNotByTheNameTheyGive() async throws {
        let server = try await Self.start()
        defer { Task { await server.stop() } }
        let alice = try await RawPeer.connect(server.url)
        alice.send(.join(room: "standup", token: try await Self.token("alice"), name: "tapedeck-recorder"))
        guard case .joined(let aliceID, _, _, let recorders) = try await alice.nextMessage() else { throw TestFailure("no joined") }
        #expect(recorders == [])
        let bot = try await RawPeer.connect(server.url)
        bot.send(.join(room: "standup", token: try await Self.token("bot-1", recorder: true), name: "alice"))
        guard case .joined(let botID, let peers, let names, let seenRecorders) = try await bot.nextMessage() else {
            throw TestFailure("no joined")
        }
        #expect(peers == [aliceID] && names == [aliceID: "alice"] && seenRecorders == [])
        #expect(try await alice.nextMessage() == .peerJoined(id: botID, name: "bot-1", recorder: true))
        let carol = try await RawPeer.connect(server.url)
        carol.send(.join(room: "standup", token: try await Self.token("carol")))
        guard case .joined(_, _, let carolSees, let carolRecorders) = try await carol.nextMessage() else { throw TestFailure("no joined") }
        #expect(carolSees == [aliceID: "alice", botID: "bot-1"] && carolRecorders == [botID])
        for peer in [alice, bot, carol] { await peer.close() }
    }

    @Test(arguments: [
        ("expired", "the room token expired at"),
        ("other-room", "the room token is for room 'board', not 'standup'"),
        ("bad-signature", "signature does not verify"),
        ("missing", "requires a signed room token"),
    ])
    func aBadTokenIsRefusedWithAReasonAndTheConnectionClosed(_ kind: String, _ expected: String) async throws {
        let server = try await Self.start()
        defer { Task { await server.stop() } }
        let token: String? = switch kind {
        case "expired": try await Self.token("alice", ttl: -60)
        case "other-room": try await Self.token("alice", room: "board")
        case "bad-signature": try await Self.token("alice", secret: "not-the-server-secret-but-32-bytes")
        default: nil
        }
        let peer = try await RawPeer.connect(server.url)
        peer.send(.join(room: "standup", token: token))
        guard case .error(let reason) = try await peer.nextMessage() else { throw TestFailure("no error") }
        #expect(reason.contains(expected), "\(reason)")
        try await Self.waitUntilClosed(peer)

        // SignalingClient, which the recorder and `tapedeck publish` use, stops with the reason.
        let client = RunningClient.start(url: server.url, room: "standup", token: token)
        let result = await client.task.result
        guard case .failure(SignalingClientError.joinRefused(let clientReason)) = result else {
            throw TestFailure("the client did not stop refused: \(result)")
        }
        #expect(clientReason.contains(expected))
    }

    @Test func aSecondConnectionWithOneIdentityReplacesTheFirst() async throws {
        let server = try await Self.start()
        defer { Task { await server.stop() } }
        let (observer, _) = try await RawPeer.joined(server.url, room: "standup", token: try await Self.token("observer"))
        let (first, firstID) = try await RawPeer.joined(server.url, room: "standup", token: try await Self.token("alice"))
        _ = try await observer.nextMessage()  // peer-joined: the first alice
        let (second, secondID) = try await RawPeer.joined(server.url, room: "standup", token: try await Self.token("alice"))
        #expect(firstID != secondID)
        guard case .error(let reason) = try await first.nextMessage() else { throw TestFailure("the first was not told") }
        #expect(reason == "identity 'alice' joined room 'standup' from another connection")
        try await Self.waitUntilClosed(first)
        #expect(try await observer.nextMessage() == .peerLeft(id: firstID))
        #expect(try await observer.nextMessage() == .peerJoined(id: secondID, name: "alice", recorder: false))
        #expect(!second.isClosed)
        await observer.close()
        await second.close()
    }

    @Test func aReplacedClientStopsInsteadOfTakingItsIdentityBack() async throws {
        let server = try await Self.start()
        defer { Task { await server.stop() } }
        let token = try await Self.token("alice")
        let client = RunningClient.start(url: server.url, room: "standup", token: token)
        _ = try await client.joinedID()
        let (usurper, _) = try await RawPeer.joined(server.url, room: "standup", token: token)
        let result = await client.task.result
        guard case .failure(SignalingClientError.joinRefused(let reason)) = result else {
            throw TestFailure("the replaced client did not stop: \(result)")
        }
        #expect(reason.contains("from another connection"))
        #expect(try await usurper.drain().isEmpty, "nobody took the identity back")
        #expect(!usurper.isClosed)
        await usurper.close()
    }

    @Test func identitiesAreUniquePerRoomNotPerServer() async throws {
        let server = try await Self.start()
        defer { Task { await server.stop() } }
        let (inStandup, _) = try await RawPeer.joined(server.url, room: "standup", token: try await Self.token("alice"))
        let (inBoard, _) = try await RawPeer.joined(server.url, room: "board", token: try await Self.token("alice", room: "board"))
        #expect(try await inStandup.drain().isEmpty)
        #expect(!inStandup.isClosed && !inBoard.isClosed)
        await inStandup.close()
        await inBoard.close()
    }
}
