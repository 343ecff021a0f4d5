import PeerSession
import RTC
import Signaling
import Testing

/// Peers that negotiate through `RoomNegotiation` in memory: a signaling server that relays
/// messages (stamping `from` like a room server, or naming nobody like a plain relay), sans-IO
/// `PeerConnection`s exchanging datagrams, and a clock that moves only when told. No sockets.
final class NegotiationWorld {
    final class Side {
        let id: String
        let base: TransportAddress
        var negotiation: RoomNegotiation
        var connections: [String: PeerConnection] = [:]
        /// Every message this side sent, in order.
        var sent: [SignalingMessage] = []
        let certificate: DTLSCertificate

        init(id: String, base: TransportAddress, callsInPlainRoom: Bool) throws {
            self.id = id
            self.base = base
            negotiation = RoomNegotiation(callsInPlainRoom: callsInPlainRoom)
            certificate = try DTLSCertificate(issuedAt: 1_800_000_000)
        }
    }

    struct Relayed {
        var from: String
        var message: SignalingMessage
    }

    let plain: Bool
    var sides: [Side] = []
    var now = ContinuousClock.now
    /// Messages on their way, oldest first.
    var relaying: [Relayed] = []
    /// While set, messages sent are lost (the sender's signaling connection is down).
    var losesMessagesFrom: Set<String> = []
    private var datagrams: [(bytes: [UInt8], from: TransportAddress, to: TransportAddress)] = []
    private var seed: UInt64 = 1

    init(plain: Bool = false, ids: [String], callsInPlainRoom: [Bool]? = nil) throws {
        self.plain = plain
        for (index, id) in ids.enumerated() {
            let base = TransportAddress(ip: IPAddress("192.0.2.\(10 + index)")!, port: 40_000)
            sides.append(try Side(id: id, base: base, callsInPlainRoom: callsInPlainRoom?[index] ?? true))
        }
    }

    func side(_ id: String) -> Side { sides.first { $0.id == id }! }

    /// Does `actions` on `side`, and what they lead to, the way an owner does.
    func perform(_ actions: [NegotiationAction], on side: Side) throws {
        var queue = actions
        while !queue.isEmpty {
            let action = queue.removeFirst()
            switch action {
            case .connect(let peer):
                let configuration = PeerConnectionConfiguration(certificate: side.certificate)
                let connection = PeerConnection(configuration: configuration, seed: seed)
                seed += 1
                connection.start(bases: [side.base], now: now)
                side.connections[peer] = connection
            case .makeOffer(let peer):
                let offer = side.connections[peer]!.createReceiveOnlyOffer(now: now)
                queue.insert(contentsOf: side.negotiation.described(peer: peer, offer: offer), at: 0)
            case .answer(let peer, let offer):
                let answer = try side.connections[peer]!.answer(remoteOffer: offer, now: now)
                queue.insert(contentsOf: side.negotiation.described(peer: peer, answer: answer), at: 0)
            case .applyAnswer(let peer, let answer):
                try side.connections[peer]!.setRemoteAnswer(answer, now: now)
            case .applyCandidate(let peer, let candidate):
                try side.connections[peer]!.addRemoteCandidate(candidate, now: now)
            case .send(let message):
                side.sent.append(message)
                if !losesMessagesFrom.contains(side.id) { relaying.append(Relayed(from: side.id, message: message)) }
            case .end(let peer):
                side.connections.removeValue(forKey: peer)?.close(now: now)
                side.negotiation.ended(peer: peer)
            }
        }
    }

    /// Delivers one relayed message to whom it is for.
    func deliverOne() throws {
        let relayed = relaying.removeFirst()
        let from = plain ? nil : relayed.from
        for side in sides where side.id != relayed.from {
            if !plain, let to = relayed.message.routing?.to, to != side.id { continue }
            let actions: [NegotiationAction]
            switch relayed.message {
            case .offer(let description, _): actions = try side.negotiation.received(offer: description.sdp, from: from)
            case .answer(let description, _): actions = side.negotiation.received(answer: description.sdp, from: from)
            case .iceCandidate(let candidate, _): actions = side.negotiation.received(candidate: candidate, from: from)
            default: actions = []
            }
            try perform(actions, on: side)
        }
    }

    /// Runs the room for `duration` of simulated time, 5 ms a step: signaling first, then
    /// each connection's output, datagrams and timers.
    func run(for duration: Duration, until done: () -> Bool = { false }) throws {
        let end = now + duration
        while now < end {
            while !relaying.isEmpty { try deliverOne() }
            for side in sides {
                for (peer, connection) in side.connections {
                    let output = connection.pollAll()
                    for transmit in output.transmits {
                        datagrams.append((transmit.bytes, transmit.base, transmit.destination))
                    }
                    for event in output.events {
                        try perform(handle(event, from: peer, on: side, mid: connection), on: side)
                    }
                }
            }
            let due = datagrams
            datagrams.removeAll()
            for datagram in due {
                guard let side = sides.first(where: { $0.base == datagram.to }) else { continue }
                for connection in side.connections.values {
                    var bytes = datagram.bytes
                    bytes.withUnsafeMutableBytes { connection.receive($0, from: datagram.from, on: datagram.to, now: now) }
                }
            }
            if done() { return }
            now += .milliseconds(5)
            for side in sides { for connection in side.connections.values { connection.handleTimeout(now: now) } }
        }
    }

    private func handle(_ event: PeerConnectionEvent, from peer: String, on side: Side, mid connection: PeerConnection) -> [NegotiationAction] {
        switch event {
        case .localCandidate(let candidate):
            return side.negotiation.gathered(peer: peer, candidate: IceCandidate(
                candidate: candidate.sdpValue, sdpMid: "0", sdpMLineIndex: 0, usernameFragment: connection.localUsernameFragment))
        case .endOfCandidates:
            return side.negotiation.gathered(peer: peer, candidate: nil)
        case .connected:
            side.negotiation.connectionUp(peer: peer)
            return []
        case .failed:
            return side.negotiation.connectionFailed(peer: peer)
        default:
            return []
        }
    }

    func connected(_ a: String, _ b: String) -> Bool {
        side(a).negotiation.connected.count == 1 && side(b).negotiation.connected.count == 1
    }
}
