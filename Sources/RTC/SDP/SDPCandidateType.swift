extension SDP {
    /// The `typ` of an ICE candidate (RFC 8445 §5.1.1).
    public enum CandidateType: Sendable, Hashable, CustomStringConvertible {
        case host
        case serverReflexive
        case peerReflexive
        case relay
        case other(String)

        public init(_ token: String) {
            switch token {
            case "host": self = .host
            case "srflx": self = .serverReflexive
            case "prflx": self = .peerReflexive
            case "relay": self = .relay
            default: self = .other(token)
            }
        }

        public var description: String {
            switch self {
            case .host: "host"
            case .serverReflexive: "srflx"
            case .peerReflexive: "prflx"
            case .relay: "relay"
            case .other(let token): token
            }
        }
    }
}
