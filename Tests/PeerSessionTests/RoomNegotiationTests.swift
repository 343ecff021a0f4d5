import PeerSession
import RTC
import Signaling
import Testing

/// The shared peer session, sans-IO: two sides negotiating through `RoomNegotiation` with
/// in-memory signaling, sans-IO connections and a simulated clock (NegotiationWorld).
@Suite struct RoomNegotiationTests {
    @Test("glare: both offer at once; the side whose id sorts first yields and answers, the other's offer stands, and the call connects",
          arguments: [("alice", "bob"), ("bob", "alice")])
    func glare(first: String, second: String) throws {
        let world = try NegotiationWorld(ids: [first, second])
        // Both are in the room when each learns of the other: each offers.
        try world.perform(world.side(first).negotiation.joined(id: first, peers: [second]), on: world.side(first))
        try world.perform(world.side(second).negotiation.joined(id: second, peers: [first]), on: world.side(second))
        try world.run(for: .seconds(10)) { world.connected(first, second) }
        #expect(world.connected(first, second))
        // Only the yielding side ("alice") answered; "bob"'s offer was the one answered.
        let answers = world.sides.map { side in side.sent.filter { if case .answer = $0 { true } else { false } }.count }
        #expect(answers == (first == "alice" ? [1, 0] : [0, 1]))
    }

    @Test("an offer that arrives while ours waits for its answer: the side that stands ignores it, and the other's answer connects")
    func offerBeforeAnswer() throws {
        let world = try NegotiationWorld(ids: ["zed", "amy"])
        let zed = world.side("zed"), amy = world.side("amy")
        try world.perform(zed.negotiation.joined(id: "zed", peers: ["amy"]), on: zed)
        try world.perform(amy.negotiation.joined(id: "amy", peers: ["zed"]), on: amy)
        // Amy's offer overtakes zed's: zed has an offer out when amy's arrives.
        world.relaying.sort { first, _ in first.from == "amy" }
        try world.deliverOne()
        #expect(zed.connections.count == 1)
        #expect(zed.sent.count == 1)  // its offer, and nothing for amy's: zed stands ("amy" < "zed")
        try world.run(for: .seconds(10)) { world.connected("zed", "amy") }
        #expect(world.connected("zed", "amy"))
        #expect(!zed.sent.contains { if case .answer = $0 { true } else { false } })
        #expect(amy.sent.contains { if case .answer = $0 { true } else { false } })
    }

    @Test("candidates gathered before our description wait for it and follow it in order; later ones go at once")
    func candidatesBeforeAndAfterTheDescription() throws {
        let world = try NegotiationWorld(ids: ["a", "b"])
        let a = world.side("a")
        var negotiation = RoomNegotiation(callsInPlainRoom: false)
        _ = negotiation.joined(id: "a", peers: [])
        // b offers; before our answer is made, our connection gathers two candidates.
        #expect(try negotiation.received(offer: "v=0", from: "b") == [.connect(peer: "b"), .answer(peer: "b", offer: "v=0")])
        let early = [IceCandidate(candidate: "candidate:1 1 udp 1 192.0.2.1 1 typ host"), IceCandidate(candidate: "candidate:2 1 udp 1 192.0.2.1 2 typ host")]
        for candidate in early { #expect(negotiation.gathered(peer: "b", candidate: candidate) == []) }
        let described = negotiation.described(peer: "b", answer: "answer-sdp")
        #expect(described == [.send(.answer(SessionDescription(type: "answer", sdp: "answer-sdp"), Routing(to: "b")))]
                + early.map { .send(.iceCandidate($0, Routing(to: "b"))) })
        let late = IceCandidate(candidate: "candidate:3 1 udp 1 192.0.2.1 3 typ host")
        #expect(negotiation.gathered(peer: "b", candidate: late) == [.send(.iceCandidate(late, Routing(to: "b")))])
        #expect(negotiation.gathered(peer: "b", candidate: nil) == [.send(.iceCandidate(nil, Routing(to: "b")))])

        // And with real connections, whose candidates come out at start, before any description:
        // every candidate message follows the description it belongs to, and the call connects.
        try world.perform(a.negotiation.joined(id: "a", peers: ["b"]), on: a)
        try world.perform(world.side("b").negotiation.joined(id: "b", peers: []), on: world.side("b"))
        try world.run(for: .seconds(10)) { world.connected("a", "b") }
        #expect(world.connected("a", "b"))
        for side in world.sides {
            let firstDescription = side.sent.firstIndex { if case .iceCandidate = $0 { false } else { true } }
            let firstCandidate = side.sent.firstIndex { if case .iceCandidate = $0 { true } else { false } }
            #expect(firstDescription != nil && firstCandidate != nil && firstDescription! < firstCandidate!, "\(side.id): \(side.sent)")
        }
    }

    @Test("ICE restart: an offer with new credentials on a live connection is answered on that connection, with new credentials of ours")
    func iceRestart() throws {
        let world = try NegotiationWorld(ids: ["a", "b"])
        let a = world.side("a"), b = world.side("b")
        try world.perform(a.negotiation.joined(id: "a", peers: ["b"]), on: a)
        try world.perform(b.negotiation.joined(id: "b", peers: []), on: b)
        try world.run(for: .seconds(10)) { world.connected("a", "b") }
        #expect(world.connected("a", "b"))
        let connection = try #require(b.connections["a"])
        // a restarts ICE: its offer carries credentials it has not used before.
        let stranger = PeerConnection(configuration: PeerConnectionConfiguration(certificate: a.certificate), seed: 99)
        let strangerLines = stranger.createReceiveOnlyOffer(now: world.now).split(separator: "\r\n")
        let ufrag = try #require(strangerLines.first { $0.hasPrefix("a=ice-ufrag:") })
        let pwd = try #require(strangerLines.first { $0.hasPrefix("a=ice-pwd:") })
        let restart = try #require(a.connections["b"]).createReceiveOnlyOffer(now: world.now)
            .split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("a=ice-ufrag:") ? ufrag : $0.hasPrefix("a=ice-pwd:") ? pwd : $0 }.joined(separator: "\r\n")
        let before = connection.localUsernameFragment
        let actions = try b.negotiation.received(offer: restart, from: "a")
        #expect(actions == [.answer(peer: "a", offer: restart)])
        try world.perform(actions, on: b)
        #expect(b.connections["a"] === connection)
        guard case .answer(let answer, let routing)? = b.sent.last(where: { if case .answer = $0 { true } else { false } }) else {
            throw TestFailure("no answer sent")
        }
        #expect(routing == Routing(to: "a"))
        #expect(!answer.sdp.contains("a=ice-ufrag:\(before)"))
    }

    @Test("reconnect: an offer lost with the signaling connection is made again on re-joining; a negotiated peer is left alone")
    func reconnect() throws {
        let world = try NegotiationWorld(ids: ["a", "b"])
        let a = world.side("a"), b = world.side("b")
        try world.perform(b.negotiation.joined(id: "b", peers: []), on: b)
        // a's connection drops as it offers: the offer never reaches the server.
        world.losesMessagesFrom = ["a"]
        try world.perform(a.negotiation.joined(id: "a", peers: ["b"]), on: a)
        world.losesMessagesFrom = []
        try world.perform(a.negotiation.disconnected(), on: a)
        try world.run(for: .seconds(1))
        #expect(!world.connected("a", "b"))
        // Back in: b is still there; the offer is made again, on the same connection.
        let connection = try #require(a.connections["b"])
        #expect(a.negotiation.joined(id: "a2", peers: ["b"]) == [.makeOffer(peer: "b")])
        try world.perform([.makeOffer(peer: "b")], on: a)
        try world.run(for: .seconds(10)) { world.connected("a", "b") }
        #expect(world.connected("a", "b"))
        #expect(a.connections["b"] === connection)
        // Another reconnect once negotiated: nothing to do.
        #expect(a.negotiation.disconnected() == [])
        #expect(a.negotiation.joined(id: "a3", peers: ["b"]) == [])
    }

    @Test("a plain relay room: the side that calls offers to the room, the other answers; candidates find their caller by ufrag")
    func plainRoom() throws {
        let world = try NegotiationWorld(plain: true, ids: ["caller", "bot"], callsInPlainRoom: [true, false])
        let caller = world.side("caller"), bot = world.side("bot")
        #expect(bot.negotiation.enteredPlainRoom() == [])
        try world.perform(caller.negotiation.enteredPlainRoom(), on: caller)
        try world.run(for: .seconds(10)) { world.connected("caller", "bot") }
        #expect(world.connected("caller", "bot"))
        #expect(Array(bot.negotiation.peerIDs) == ["peer-1"])
        // Entering again (a reconnect) with the call up places no second call.
        #expect(caller.negotiation.enteredPlainRoom() == [])
    }

    @Test("a peer who leaves is ended; a failed connection ends a caller only in a plain room")
    func leavingAndFailing() throws {
        var room = RoomNegotiation(callsInPlainRoom: false)
        _ = room.joined(id: "me", peers: ["x"])
        #expect(room.peerLeft("x") == [.end(peer: "x")])
        #expect(room.connectionFailed(peer: "x") == [])
        room.ended(peer: "x")
        #expect(room.peerLeft("x") == [])
        #expect(room.received(candidate: IceCandidate(candidate: "candidate:1 1 udp 1 192.0.2.1 1 typ host"), from: "x") == [])
        var plain = RoomNegotiation(callsInPlainRoom: true)
        #expect(plain.enteredPlainRoom() == [.connect(peer: "peer-1"), .makeOffer(peer: "peer-1")])
        #expect(plain.connectionFailed(peer: "peer-1") == [.end(peer: "peer-1")])
        // An answer to nobody's offer (we yielded, or it was somebody else's) is dropped.
        #expect(room.received(answer: "v=0", from: "y") == [])
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
