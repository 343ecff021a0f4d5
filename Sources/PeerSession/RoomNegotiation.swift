import Signaling

/// How one side of a room negotiates with each of its peers, shared by the recorder bot and
/// `tapedeck publish`: whom to offer to, which offers and answers go to which connection, what
/// happens when both sides offer at once (glare), when our candidates may go out, what a lost
/// signaling connection costs, and how a plain relay room (which names nobody) is called.
///
/// Sans-IO and clockless: the owner hands it what the signaling server and its connections
/// said, and does the actions it gets back, in order, reporting the descriptions its connections
/// make with `described`. Nothing here awaits, so every ordering can be tested without sockets.
public struct RoomNegotiation: Sendable {
    /// Whether we place a call (an offer to the whole room) on entering a plain relay room, as
    /// the seeds' client does. The recorder does only when asked: a caller already in a call
    /// would take our offer as a renegotiation and break that call.
    public var callsInPlainRoom: Bool
    /// Our id in a room server's room (nil: not joined yet, or a plain room).
    public private(set) var ownID: String?
    /// The peers we have a connection to, and where each negotiation stands.
    private var peers: [String: PeerNegotiationState] = [:]
    /// Peers whose connection is up: in a plain room, where nobody announces leaving, the room
    /// is empty when none is.
    public private(set) var connected: Set<String> = []
    /// The callers of a plain relay room (nil: the server names its peers, or is not known yet).
    public private(set) var plainCallers: PlainRoomCallers?
    /// In a plain room, the caller our own offer went to, until the first answer comes back.
    private var plainCallAwaitingAnswer: String?

    public init(callsInPlainRoom: Bool) {
        self.callsInPlainRoom = callsInPlainRoom
    }

    /// The peers with a connection, in no particular order.
    public var peerIDs: Dictionary<String, PeerNegotiationState>.Keys { peers.keys }

    public var isPlainRoom: Bool { plainCallers != nil }

    // MARK: The signaling server

    /// The room server let us in (again, after a reconnect) with `peers` there. We offer to
    /// each we have no connection to, and again to each whose offer the lost connection took
    /// with it. `peers`: those to negotiate with (the owner leaves out its own kind: a fellow
    /// recorder, a sibling publisher).
    public mutating func joined(id: String, peers present: [String]) -> [NegotiationAction] {
        ownID = id
        plainCallers = nil
        plainCallAwaitingAnswer = nil
        var actions: [NegotiationAction] = []
        for peer in present {
            if var state = peers[peer] {
                guard state.offer == .lost else { continue }
                state.offer = .outstanding
                peers[peer] = state
                actions.append(.makeOffer(peer: peer))
            } else {
                peers[peer] = PeerNegotiationState(offer: .outstanding)
                actions += [.connect(peer: peer), .makeOffer(peer: peer)]
            }
        }
        return actions
    }

    /// The server turned out to be a plain relay (or we are back in one after a reconnect).
    public mutating func enteredPlainRoom() -> [NegotiationAction] {
        ownID = nil
        if plainCallers == nil { plainCallers = PlainRoomCallers() }
        // Calling again only when nothing is up nor awaited: a caller in a call with us would
        // take a second offer from us as a renegotiation of that call.
        guard callsInPlainRoom, connected.isEmpty, plainCallAwaitingAnswer == nil, let callee = plainCallers?.call() else {
            return []
        }
        plainCallAwaitingAnswer = callee
        peers[callee] = PeerNegotiationState(offer: .outstanding)
        return [.connect(peer: callee), .makeOffer(peer: callee)]
    }

    /// The signaling connection was lost. Offers not answered yet may never have arrived: in a
    /// room server's room they are made again on re-joining; in a plain room, whose answers
    /// name nobody, the call is given up (and placed again on re-entering).
    public mutating func disconnected() -> [NegotiationAction] {
        for (peer, state) in peers where state.offer == .outstanding {
            peers[peer]?.offer = .lost
        }
        guard let callee = plainCallAwaitingAnswer else { return [] }
        plainCallAwaitingAnswer = nil
        return [.end(peer: callee)]
    }

    /// A peer's offer (`from`: its id; nil in a plain room). When both of us offered at once
    /// (glare), the peer whose id sorts first yields, as RFC 8829's perfect negotiation has one
    /// side do: it answers the other's offer and drops its own (`PeerConnection.answer` rolls it
    /// back); the other ignores the offer and waits for its answer. In a plain room, where ids
    /// are unknown, we yield.
    /// - Throws: the offer's SDP error in a plain room, where the SDP says who the caller is.
    public mutating func received(offer sdp: String, from: String?) throws -> [NegotiationAction] {
        let peer: String
        if let from {
            peer = from
        } else {
            // A room server relays nothing without `from`: only a plain room's offers come here.
            guard plainCallers != nil else { return [] }
            switch try plainCallers?.offer(sdp) {
            case .newCaller(let id)?, .renegotiation(let id)?: peer = id
            case nil: return []
            }
        }
        var actions: [NegotiationAction] = []
        if var state = peers[peer] {
            if state.offer == .outstanding, !yields(to: peer) { return [] }
            state.offer = .none
            peers[peer] = state
        } else {
            peers[peer] = PeerNegotiationState()
            actions.append(.connect(peer: peer))
        }
        actions.append(.answer(peer: peer, offer: sdp))
        return actions
    }

    /// A peer's answer (`from` nil in a plain room: the first answer to our call is the callee's;
    /// any other answer was somebody else's to somebody else). An answer to no offer of ours (we
    /// yielded in a glare) is dropped.
    public mutating func received(answer sdp: String, from: String?) -> [NegotiationAction] {
        let peer: String
        if let from {
            peer = from
        } else {
            guard let callee = plainCallAwaitingAnswer else { return [] }
            plainCallAwaitingAnswer = nil
            plainCallers?.answered(callee, sdp: sdp)
            peer = callee
        }
        guard var state = peers[peer], state.offer != .none else { return [] }
        state.offer = .none
        peers[peer] = state
        return [.applyAnswer(peer: peer, answer: sdp)]
    }

    /// A candidate a peer trickled (`candidate` nil: the end of its candidates).
    public func received(candidate: IceCandidate?, from: String?) -> [NegotiationAction] {
        guard let peer = from ?? plainCallers?.caller(of: candidate), peers[peer] != nil else { return [] }
        return [.applyCandidate(peer: peer, candidate: candidate?.candidate)]
    }

    /// The server says the peer left.
    public func peerLeft(_ peer: String) -> [NegotiationAction] {
        peers[peer] == nil ? [] : [.end(peer: peer)]
    }

    // MARK: The peer's connection

    /// Our connection to `peer` made the offer `.makeOffer` asked for: it goes out, then the
    /// candidates held back for it.
    public mutating func described(peer: String, offer sdp: String) -> [NegotiationAction] {
        describe(peer, .offer(SessionDescription(type: "offer", sdp: sdp), routing(to: peer)))
    }

    /// Our connection to `peer` answered its offer: the answer goes out, then the held candidates.
    public mutating func described(peer: String, answer sdp: String) -> [NegotiationAction] {
        describe(peer, .answer(SessionDescription(type: "answer", sdp: sdp), routing(to: peer)))
    }

    /// A candidate our connection to `peer` gathered (nil: the end of our candidates). Held
    /// back until our offer or answer has gone out: a peer may drop candidates for a
    /// description it has not seen.
    public mutating func gathered(peer: String, candidate: IceCandidate?) -> [NegotiationAction] {
        guard var state = peers[peer] else { return [] }
        let message = SignalingMessage.iceCandidate(candidate, routing(to: peer))
        guard state.described else {
            state.held.append(message)
            peers[peer] = state
            return []
        }
        return [.send(message)]
    }

    /// Our connection to `peer` is up (DTLS and SRTP, or ICE back after a disconnection).
    public mutating func connectionUp(peer: String) {
        guard peers[peer] != nil else { return }
        connected.insert(peer)
    }

    /// Our connection to `peer` is down (ICE disconnected or failed; it may come back).
    public mutating func connectionDown(peer: String) {
        connected.remove(peer)
    }

    /// Our connection to `peer` failed for good. In a plain room nobody says a caller left, so
    /// this is how it shows: the peer is ended.
    public mutating func connectionFailed(peer: String) -> [NegotiationAction] {
        connected.remove(peer)
        return isPlainRoom && peers[peer] != nil ? [.end(peer: peer)] : []
    }

    /// The peer's connection is closed (after `.end`, a hang-up, or a connection the owner could
    /// not open): everything about it is forgotten.
    public mutating func ended(peer: String) {
        peers[peer] = nil
        connected.remove(peer)
        plainCallers?.hangUp(peer)
        if plainCallAwaitingAnswer == peer { plainCallAwaitingAnswer = nil }
    }

    // MARK: Helpers

    /// Where a message for `peer` goes: to it, or in a plain room, which cannot address one
    /// peer, to the whole room.
    private func routing(to peer: String) -> Routing {
        isPlainRoom ? Routing() : Routing(to: peer)
    }

    private func yields(to peer: String) -> Bool {
        guard let ownID, !isPlainRoom else { return true }
        return ownID < peer
    }

    private mutating func describe(_ peer: String, _ description: SignalingMessage) -> [NegotiationAction] {
        guard var state = peers[peer] else { return [] }
        state.described = true
        let held = state.held
        state.held = []
        peers[peer] = state
        return [.send(description)] + held.map { .send($0) }
    }
}

/// Where the negotiation with one peer stands.
public struct PeerNegotiationState: Sendable, Hashable {
    public enum Offer: Sendable, Hashable {
        /// No offer of ours waits for an answer.
        case none
        /// Our offer is out; its answer has not come.
        case outstanding
        /// Our offer was out when the signaling connection dropped: made again on re-joining.
        case lost
    }

    public var offer: Offer = .none
    /// Our offer or answer has gone out: candidates may follow.
    public var described = false
    /// Candidates gathered before that, in order.
    var held: [SignalingMessage] = []
}
