import Foundation
import JSON
import Signaling
import SignalingServer
import SignalingTestSupport
import Testing

private let sampleOffer = SessionDescription(type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")

@Suite("Room signaling server")
struct SignalingServerTests {
    @Test("join is answered with an id and the peers already there; the others hear peer-joined")
    func joinAnnouncesPeers() async throws {
        let server = try await TestSignalingServer.start()
        defer { Task { await server.stop() } }
        let (alice, aliceID) = try await RawPeer.joined(server.url, room: "standup")
        let bob = try await RawPeer.connect(server.url)
        bob.send(.join(room: "standup", token: nil))
        guard case .joined(let bobID, let peers, _, _) = try await bob.nextMessage() else { throw TestFailure("no joined") }
        #expect(peers == [aliceID])
        #expect(bobID != aliceID)
        #expect(try await alice.nextMessage() == .peerJoined(id: bobID))
        await alice.close()
        await bob.close()
    }

    @Test("a name given at join reaches the others, in joined and in peer-joined; a bad name is refused")
    func namesAreRelayed() async throws {
        let server = try await TestSignalingServer.start()
        defer { Task { await server.stop() } }
        let alice = try await RawPeer.connect(server.url)
        alice.send(.join(room: "named", token: nil, name: "Alice Liddell"))
        guard case .joined(let aliceID, _, _, _) = try await alice.nextMessage() else { throw TestFailure("no joined") }
        let bob = try await RawPeer.connect(server.url)
        bob.send(.join(room: "named", token: nil))
        guard case .joined(let bobID, let peers, let names, _) = try await bob.nextMessage() else { throw TestFailure("no joined") }
        #expect(peers == [aliceID])
        #expect(names == [aliceID: "Alice Liddell"])
        #expect(try await alice.nextMessage() == .peerJoined(id: bobID, name: nil))
        let carol = try await RawPeer.connect(server.url)
        carol.send(#"{"type":"join","room":"named","name":"bad\u0000name"}"#)
        let refusal = try await carol.nextObject()
        #expect(refusal["type"] == .string("error"))
        #expect(refusal["reason"]?.stringValue?.contains("'name'") == true)
        await alice.close()
        await bob.close()
        await carol.close()
    }

    @Test("three peers: an addressed message reaches only its target, from is stamped, peer-left on close")
    func addressedRelayAndPeerLeft() async throws {
        let server = try await TestSignalingServer.start()
        defer { Task { await server.stop() } }
        let (alice, aliceID) = try await RawPeer.joined(server.url, room: "triad")
        let (bob, bobID) = try await RawPeer.joined(server.url, room: "triad")
        let (carol, carolID) = try await RawPeer.joined(server.url, room: "triad")
        _ = try await alice.drain(after: .milliseconds(100))
        _ = try await bob.drain(after: .milliseconds(0))

        // Addressed to Bob, with a forged `from` the server must overwrite.
        alice.send(#"{"type":"offer","sdp":{"type":"offer","sdp":"v=0\r\n"},"to":"\#(bobID)","from":"mallory"}"#)
        let atBob = try await bob.nextObject()
        #expect(atBob["type"] == .string("offer"))
        #expect(atBob["from"] == .string(aliceID))
        #expect(atBob["to"] == .string(bobID))
        #expect(try await carol.drain().isEmpty)

        // Broadcast: everyone but the sender, each stamped.
        carol.send(.iceCandidate(IceCandidate(candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", sdpMid: "0", sdpMLineIndex: 0), Routing()))
        for peer in [alice, bob] {
            guard case .iceCandidate(let candidate?, let routing) = try await peer.nextMessage() else { throw TestFailure("no candidate") }
            #expect(routing.from == carolID)
            #expect(candidate.sdpMLineIndex == 0)
        }
        #expect(try await carol.drain().isEmpty)

        await carol.close()
        #expect(try await alice.nextMessage() == .peerLeft(id: carolID))
        #expect(try await bob.nextMessage() == .peerLeft(id: carolID))
        await alice.close()
        await bob.close()
    }

    @Test("rooms are isolated, and a peer cannot address someone in another room")
    func roomsAreIsolated() async throws {
        let server = try await TestSignalingServer.start()
        defer { Task { await server.stop() } }
        let (alice, _) = try await RawPeer.joined(server.url, room: "one")
        let (bob, _) = try await RawPeer.joined(server.url, room: "one")
        let (dave, daveID) = try await RawPeer.joined(server.url, room: "two")
        _ = try await alice.drain(after: .milliseconds(100))

        bob.send(.offer(sampleOffer, Routing()))
        #expect(try await alice.nextMessage(timeout: .seconds(5)).type == "offer")
        #expect(try await dave.drain().isEmpty)

        bob.send(.offer(sampleOffer, Routing(to: daveID)))
        guard case .error(let reason) = try await bob.nextMessage() else { throw TestFailure("no error") }
        #expect(reason.contains("no peer"))
        #expect(try await dave.drain().isEmpty)
        for peer in [alice, bob, dave] { await peer.close() }
    }

    @Test("messages are relayed verbatim, unknown fields included")
    func relayKeepsUnknownFields() async throws {
        let server = try await TestSignalingServer.start()
        defer { Task { await server.stop() } }
        let (alice, _) = try await RawPeer.joined(server.url, room: "verbatim")
        let (bob, _) = try await RawPeer.joined(server.url, room: "verbatim")
        _ = try await alice.drain(after: .milliseconds(100))
        bob.send(#"{"type":"answer","sdp":{"type":"answer","sdp":"v=0\r\n"},"x-app":{"mute":true,"n":[1,2.5]}}"#)
        let fields = try await alice.nextObject()
        #expect(fields["x-app"] == .object(["mute": .bool(true), "n": .array([.integer(1), .number(2.5)])]))
        #expect(fields["sdp"]?["sdp"] == .string("v=0\r\n"))
        await alice.close()
        await bob.close()
    }

    @Test("every bad input gets an error reply, and the sender and the other peers carry on")
    func badInputsAreRefused() async throws {
        let server = try await TestSignalingServer.start { $0.maxMessageBytes = 64 * 1024 }
        defer { Task { await server.stop() } }

        // Relaying before joining.
        let stranger = try await RawPeer.connect(server.url)
        stranger.send(.offer(sampleOffer, Routing()))
        #expect(try await stranger.nextMessage() == .error(reason: "join a room before sending offers, answers or candidates"))

        let (alice, _) = try await RawPeer.joined(server.url, room: "robust")
        let (bob, bobID) = try await RawPeer.joined(server.url, room: "robust")
        _ = try await alice.drain(after: .milliseconds(100))

        let badInputs: [(String, String)] = [
            ("{not json", "not valid JSON"),
            ("[1,2,3]", "JSON object with a string 'type'"),
            (#"{"type":5}"#, "JSON object with a string 'type'"),
            (#"{"room":"x"}"#, "JSON object with a string 'type'"),
            (#"{"type":"dance"}"#, "unknown message type 'dance'"),
            (#"{"type":"offer"}"#, "offer needs 'sdp'"),
            (#"{"type":"offer","sdp":"v=0"}"#, "offer needs 'sdp'"),
            (#"{"type":"answer","sdp":{"type":"answer"}}"#, "answer needs 'sdp'"),
            (#"{"type":"ice-candidate","candidate":42}"#, "ice-candidate needs 'candidate'"),
            (#"{"type":"offer","sdp":{"type":"offer","sdp":""},"to":7}"#, "offer needs 'sdp'"),
            (#"{"type":"joined","id":"x","peers":[]}"#, "sent by the server"),
            (#"{"type":"join","room":""}"#, "non-empty 'room'"),
            (#"{"type":"join","room":"\#(String(repeating: "r", count: 200))"}"#, "non-empty 'room'"),
            (#"{"type":"join","room":"other"}"#, "already joined room 'robust'"),
            (#"{"type":"offer","sdp":{"type":"offer","sdp":""},"to":"nobody"}"#, "no peer 'nobody'"),
        ]
        for (input, expected) in badInputs {
            alice.send(input)
            guard case .error(let reason) = try await alice.nextMessage() else { throw TestFailure("no error for \(input)") }
            #expect(reason.contains(expected), "\(input) → \(reason)")
        }

        // Oversize: one 70 KiB frame, and the same split across 16 KiB continuation frames.
        let oversize = #"{"type":"offer","sdp":{"type":"offer","sdp":"\#(String(repeating: "a", count: 70_000))"}}"#
        let bigFramePeer = try await RawPeer.connect(server.url, maxFrameSize: 1 << 20)
        bigFramePeer.send(oversize)
        guard case .error(let reason) = try await bigFramePeer.nextMessage() else { throw TestFailure("no error for oversize") }
        #expect(reason.contains("exceeds the limit of 65536 bytes"))
        alice.send(oversize)
        guard case .error(let fragmentedReason) = try await alice.nextMessage() else { throw TestFailure("no error for fragments") }
        #expect(fragmentedReason.contains("exceeds the limit"))

        alice.send(binary: [0x16, 0xfe, 0xfd])
        guard case .error(let binaryReason) = try await alice.nextMessage() else { throw TestFailure("no error for binary") }
        #expect(binaryReason.contains("binary"))

        // Bob heard none of it, and Alice's connection still works.
        #expect(try await bob.drain().isEmpty)
        alice.send(.offer(sampleOffer, Routing(to: bobID)))
        #expect(try await bob.nextMessage().type == "offer")
        #expect(!alice.isClosed)
        for peer in [alice, bob, stranger, bigFramePeer] { await peer.close() }
    }

    @Test("a server with a token refuses a missing or wrong one and admits the right one")
    func tokenIsChecked() async throws {
        let server = try await TestSignalingServer.start { $0.token = "s3cret" }
        defer { Task { await server.stop() } }
        let peer = try await RawPeer.connect(server.url)
        peer.send(.join(room: "private", token: nil))
        #expect(try await peer.nextMessage() == .error(reason: "this server requires a 'token' to join"))
        peer.send(.join(room: "private", token: "guess"))
        #expect(try await peer.nextMessage() == .error(reason: "invalid token"))
        // Refused peers are not in the room, so they cannot relay.
        peer.send(.offer(sampleOffer, Routing()))
        #expect(try await peer.nextMessage().type == "error")
        peer.send(.join(room: "private", token: "s3cret"))
        #expect(try await peer.nextMessage().type == "joined")
        await peer.close()
    }

    @Test("room and server limits are enforced with a clear reason")
    func limitsAreEnforced() async throws {
        let server = try await TestSignalingServer.start {
            $0.maxPeersPerRoom = 2
            $0.maxRooms = 2
        }
        defer { Task { await server.stop() } }
        let (first, _) = try await RawPeer.joined(server.url, room: "a")
        let (second, _) = try await RawPeer.joined(server.url, room: "a")
        let third = try await RawPeer.connect(server.url)
        third.send(.join(room: "a", token: nil))
        #expect(try await third.nextMessage() == .error(reason: "room 'a' is full (2 peers)"))
        third.send(.join(room: "b", token: nil))
        #expect(try await third.nextMessage().type == "joined")
        let fourth = try await RawPeer.connect(server.url)
        fourth.send(.join(room: "c", token: nil))
        #expect(try await fourth.nextMessage() == .error(reason: "the server has reached its limit of 2 rooms"))
        for peer in [first, second, third, fourth] { await peer.close() }
    }
}
