/// An ICE candidate (RFC 8445 §5.1, SDP grammar RFC 8839 §5.1): a transport address a peer can
/// be reached at, how it was learned, and its priority.
public struct Candidate: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case host, srflx, prflx, relay

        /// RFC 8445 §5.1.2.2 recommended type preferences.
        var typePreference: UInt32 {
            switch self {
            case .host: 126
            case .prflx: 110
            case .srflx: 100
            case .relay: 0
            }
        }
    }

    public var foundation: String
    public var component: Int
    public var priority: UInt32
    public var address: TransportAddress
    public var kind: Kind
    public var relatedAddress: TransportAddress?
    /// A remote host candidate Chromium hides behind an mDNS name (`UUID.local`); `address` is
    /// meaningless then and the candidate cannot be paired until resolved.
    public var mdnsHostname: String?
    public var ufrag: String?
    /// nil for a UDP candidate; for a TCP one (RFC 6544), which end opens the connection.
    public var tcpType: TCPType?

    /// RFC 6544 §4.5: who opens a TCP candidate's connection. Tapedeck offers only `passive`
    /// candidates (peers connect to its one TCP port); a peer's `active` ones have port 9 and
    /// only say it will connect.
    public enum TCPType: String, Sendable, Hashable {
        case active, passive, so
    }

    /// TCP (RFC 6544) rather than UDP.
    public var isTCP: Bool { tcpType != nil }

    public init(foundation: String, component: Int = 1, priority: UInt32, address: TransportAddress, kind: Kind,
                relatedAddress: TransportAddress? = nil, ufrag: String? = nil) {
        self.foundation = foundation
        self.component = component
        self.priority = priority
        self.address = address
        self.kind = kind
        self.relatedAddress = relatedAddress
        self.ufrag = ufrag
    }

    /// RFC 8445 §5.1.2.1: type preference, then local preference (IPv6 preferred, as browsers do),
    /// then component.
    public static func priority(kind: Kind, localPreference: UInt32, component: Int = 1) -> UInt32 {
        (kind.typePreference << 24) | ((localPreference & 0xFFFF) << 8) | UInt32(256 - component)
    }

    /// RFC 6544 §4.2 and libwebrtc: a TCP host candidate's type preference is below every UDP
    /// candidate type's but relay, so a UDP pair wins whenever UDP works; the local preference
    /// puts the direction first (passive: 4 of 7) and then the interface order.
    public static func tcpPriority(tcpType: TCPType, interfacePreference: UInt32, component: Int = 1) -> UInt32 {
        let directionPreference: UInt32 = switch tcpType {
        case .active: 6
        case .passive: 4
        case .so: 2
        }
        let localPreference = (directionPreference << 13) | (interfacePreference & 0x1FFF)
        return (90 << 24) | (localPreference << 8) | UInt32(256 - component)
    }

    /// `candidate:…`: what trickle signaling carries, and an `a=candidate` line after its `a=`.
    public var sdpValue: String {
        var text = "candidate:\(foundation) \(component) \(isTCP ? "tcp" : "udp") \(priority) \(mdnsHostname ?? address.ip.description) \(address.port) typ \(kind.rawValue)"
        if let relatedAddress {
            text += " raddr \(relatedAddress.ip) rport \(relatedAddress.port)"
        }
        if let tcpType { text += " tcptype \(tcpType.rawValue)" }
        if let ufrag { text += " generation 0 ufrag \(ufrag)" }
        return text
    }

    /// `KIND ADDRESS:PORT`, `tcp TCPTYPE` for a TCP candidate, then the mDNS name a remote host candidate was resolved from and the
    /// related address (the base of a server-reflexive or peer-reflexive candidate), if any.
    public var description: String {
        var text = "\(kind.rawValue) \(address)"
        if let tcpType { text += " tcp \(tcpType.rawValue)" }
        if let mdnsHostname { text += " (\(mdnsHostname))" }
        if let relatedAddress { text += " raddr \(relatedAddress)" }
        return text
    }
}
