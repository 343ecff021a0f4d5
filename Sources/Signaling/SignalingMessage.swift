/// An SDP blob as browsers serialise `RTCSessionDescription`: `{type, sdp}`.
public struct SessionDescription: Sendable, Hashable, Codable {
    public var type: String
    public var sdp: String

    public init(type: String, sdp: String) {
        self.type = type
        self.sdp = sdp
    }
}

/// An ICE candidate as browsers serialise it with `RTCIceCandidate.toJSON()`.
public struct IceCandidate: Sendable, Hashable, Codable {
    public var candidate: String
    public var sdpMid: String?
    public var sdpMLineIndex: Int?
    public var usernameFragment: String?

    public init(candidate: String, sdpMid: String? = nil, sdpMLineIndex: Int? = nil, usernameFragment: String? = nil) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
        self.usernameFragment = usernameFragment
    }

    /// An empty candidate string is how browsers say "end of candidates" for a section.
    public var isEndOfCandidates: Bool { candidate.isEmpty }
}

/// Who sent a relayed message and, when the sender addressed one peer, who it was for.
/// Plain relay-protocol clients send neither; the room server stamps `from` itself.
public struct Routing: Sendable, Hashable {
    public var from: String?
    public var to: String?

    public init(from: String? = nil, to: String? = nil) {
        self.from = from
        self.to = to
    }
}

/// The room signaling protocol. The first four relayed kinds are what a plain browser client
/// speaks (`join`, `offer`, `answer`, `ice-candidate`); the rest are server extensions such a
/// client can ignore.
public enum SignalingMessage: Sendable, Hashable {
    /// `name`: how the participant wants to be known (a server extension): stable across its
    /// reconnections, where the id the server assigns is not.
    case join(room: String, token: String?, name: String? = nil)
    case offer(SessionDescription, Routing)
    case answer(SessionDescription, Routing)
    /// `nil` candidate: the sender finished gathering (a browser's null `onicecandidate`).
    case iceCandidate(IceCandidate?, Routing)
    /// `names`: the names of the peers that gave one at join (on a server that checks signed
    /// room tokens, each peer's identity from its token). `recorders`: the peers whose token
    /// grants recording, sent only by such a server (nil: the server does not say).
    case joined(id: String, peers: [String], names: [String: String] = [:], recorders: [String]? = nil)
    /// `recorder`: whether the newcomer's token grants recording (nil: the server does not say).
    case peerJoined(id: String, name: String? = nil, recorder: Bool? = nil)
    case peerLeft(id: String)
    case error(reason: String)

    /// The wire name in the `type` field.
    public var type: String {
        switch self {
        case .join: "join"
        case .offer: "offer"
        case .answer: "answer"
        case .iceCandidate: "ice-candidate"
        case .joined: "joined"
        case .peerJoined: "peer-joined"
        case .peerLeft: "peer-left"
        case .error: "error"
        }
    }

    /// The kinds the room server relays to other peers.
    public static let relayedTypes: Set<String> = ["offer", "answer", "ice-candidate"]
    public static let knownTypes: Set<String> = relayedTypes.union(["join", "joined", "peer-joined", "peer-left", "error"])

    public var routing: Routing? {
        switch self {
        case .offer(_, let routing), .answer(_, let routing), .iceCandidate(_, let routing): routing
        default: nil
        }
    }
}

extension SignalingMessage: Codable {
    private enum Key: String, CodingKey {
        case type, room, token, name, names, recorders, recorder, sdp, candidate, from, to, id, peers, reason
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let type = try container.decode(String.self, forKey: .type)
        func routing() throws -> Routing {
            Routing(from: try container.decodeIfPresent(String.self, forKey: .from),
                    to: try container.decodeIfPresent(String.self, forKey: .to))
        }
        switch type {
        case "join":
            self = .join(room: try container.decode(String.self, forKey: .room),
                         token: try container.decodeIfPresent(String.self, forKey: .token),
                         name: try container.decodeIfPresent(String.self, forKey: .name))
        case "offer":
            self = .offer(try container.decode(SessionDescription.self, forKey: .sdp), try routing())
        case "answer":
            self = .answer(try container.decode(SessionDescription.self, forKey: .sdp), try routing())
        case "ice-candidate":
            self = .iceCandidate(try container.decodeIfPresent(IceCandidate.self, forKey: .candidate), try routing())
        case "joined":
            self = .joined(id: try container.decode(String.self, forKey: .id),
                           peers: try container.decode([String].self, forKey: .peers),
                           names: try container.decodeIfPresent([String: String].self, forKey: .names) ?? [:],
                           recorders: try container.decodeIfPresent([String].self, forKey: .recorders))
        case "peer-joined":
            self = .peerJoined(id: try container.decode(String.self, forKey: .id),
                               name: try container.decodeIfPresent(String.self, forKey: .name),
                               recorder: try container.decodeIfPresent(Bool.self, forKey: .recorder))
        case "peer-left":
            self = .peerLeft(id: try container.decode(String.self, forKey: .id))
        case "error":
            self = .error(reason: try container.decode(String.self, forKey: .reason))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown message type '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .join(let room, let token, let name):
            try container.encode(room, forKey: .room)
            try container.encodeIfPresent(token, forKey: .token)
            try container.encodeIfPresent(name, forKey: .name)
        case .offer(let description, _), .answer(let description, _):
            try container.encode(description, forKey: .sdp)
        case .iceCandidate(let candidate, _):
            // Always present, as `null` at end of candidates, the way browsers send it.
            try container.encode(candidate, forKey: .candidate)
        case .joined(let id, let peers, let names, let recorders):
            try container.encode(id, forKey: .id)
            try container.encode(peers, forKey: .peers)
            if !names.isEmpty { try container.encode(names, forKey: .names) }
            try container.encodeIfPresent(recorders, forKey: .recorders)
        case .peerJoined(let id, let name, let recorder):
            try container.encode(id, forKey: .id)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encodeIfPresent(recorder, forKey: .recorder)
        case .peerLeft(let id):
            try container.encode(id, forKey: .id)
        case .error(let reason):
            try container.encode(reason, forKey: .reason)
        }
        if let routing {
            try container.encodeIfPresent(routing.from, forKey: .from)
            try container.encodeIfPresent(routing.to, forKey: .to)
        }
    }
}
