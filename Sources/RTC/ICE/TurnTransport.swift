/// How Tapedeck reaches a TURN server (RFC 8656 §3.1): datagrams over UDP, or a stream over TCP
/// or TLS where UDP is blocked. Whatever the transport, the relayed address is UDP towards peers.
public enum TurnTransport: Sendable, Hashable, CustomStringConvertible {
    case udp
    case tcp
    case tls(TurnTLS)

    /// TCP and TLS: messages are framed on one connection per peer connection and base.
    public var isStream: Bool {
        if case .udp = self { false } else { true }
    }

    public var description: String {
        switch self {
        case .udp: "udp"
        case .tcp: "tcp"
        case .tls: "tls"
        }
    }
}

/// What a TLS connection to a TURN server verifies: the certificate chains to the system's
/// trust store or to `trustedCAFile`, and names `serverName`.
public struct TurnTLS: Sendable, Hashable {
    /// The host as written in the `turns:` URL: sent as SNI and matched against the
    /// certificate (an IP address is matched against the certificate's IP addresses, and not sent).
    public var serverName: String
    /// A PEM file of certificates trusted besides the system's (a self-signed server's own
    /// certificate, a private CA). Read by the driver, never by the agent.
    public var trustedCAFile: String?

    public init(serverName: String, trustedCAFile: String? = nil) {
        self.serverName = serverName
        self.trustedCAFile = trustedCAFile
    }
}
