import NIOCore
import RTC

/// A STUN or TURN server URL as WebRTC configurations write them (RFC 7064, RFC 7065):
/// `stun:HOST[:PORT]`, `turn:HOST[:PORT][?transport=udp|tcp]`, `turns:HOST[:PORT]` (TLS over TCP,
/// port 5349 by default). TURN over DTLS (`turns:…?transport=udp`) is not spoken.
public struct IceServerURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case stun, turn, turns }

    public var scheme: Scheme
    public var host: String
    public var port: Int
    /// For `turn:`, whether `?transport=tcp` asked for TCP (`turns:` always uses it).
    public var overTCP: Bool

    public init(parsing text: String) throws(IceServerURLError) {
        guard let colon = text.firstIndex(of: ":"), let scheme = Scheme(rawValue: text[..<colon].lowercased()) else {
            throw IceServerURLError("'\(text)' is not a stun:, turn: or turns: URL")
        }
        var rest = text[text.index(after: colon)...]
        var transport: Substring?
        if let query = rest.firstIndex(of: "?") {
            for parameter in rest[rest.index(after: query)...].split(separator: "&") where parameter.lowercased().hasPrefix("transport=") {
                transport = parameter.dropFirst("transport=".count)
            }
            rest = rest[..<query]
        }
        switch (scheme, transport?.lowercased()) {
        case (_, nil), (.turn, "udp"?), (.turn, "tcp"?), (.turns, "tcp"?), (.stun, "udp"?): break
        case (.turns, "udp"?): throw IceServerURLError("'\(text)': TURN over DTLS is not supported; use turns: (TLS over TCP) or turn:")
        default: throw IceServerURLError("'\(text)': unsupported transport '\(transport ?? "")' (udp or tcp)")
        }
        var host = Substring(rest)
        var port = scheme == .turns ? 5_349 : 3_478
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {  // [IPv6]:port
            let after = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (1...65_535).contains(value) else { throw IceServerURLError("bad port in '\(text)'") }
                port = value
            }
        } else if let portColon = host.lastIndex(of: ":"), host.filter({ $0 == ":" }).count == 1 {
            guard let value = Int(host[host.index(after: portColon)...]), (1...65_535).contains(value) else {
                throw IceServerURLError("bad port in '\(text)'")
            }
            port = value
            host = host[..<portColon]
        }
        guard !host.isEmpty else { throw IceServerURLError("no host in '\(text)'") }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.overTCP = scheme == .turns || transport?.lowercased() == "tcp"
    }

    /// Resolves the host (a blocking lookup: call at start-up, not on an event loop).
    public func resolve() throws(IceServerURLError) -> TransportAddress {
        if let ip = IPAddress(host) { return TransportAddress(ip: ip, port: UInt16(port)) }
        do {
            let address = try SocketAddress.makeAddressResolvingHost(host, port: port)
            guard let transport = TransportAddress(address) else { throw IceServerURLError("cannot use the address of \(host)") }
            return transport
        } catch let error as IceServerURLError {
            throw error
        } catch {
            throw IceServerURLError("cannot resolve \(host): \(error)")
        }
    }

    /// How the agent reaches this TURN server; a `turns:` server's certificate must chain to the
    /// system's trust store or to `trustedCAFile`, and name the URL's host.
    public func turnTransport(trustedCAFile: String? = nil) -> TurnTransport {
        switch scheme {
        case .turns: .tls(TurnTLS(serverName: host, trustedCAFile: trustedCAFile))
        case .turn, .stun: overTCP ? .tcp : .udp
        }
    }

    /// The TURN server this URL names, resolved (a blocking lookup, as `resolve`). For `turns:`,
    /// the TLS context is made here too (it reads the trust store), not later on an event loop.
    public func turnServer(username: String, password: String, trustedCAFile: String? = nil) throws(IceServerURLError) -> TurnServer {
        guard scheme != .stun else { throw IceServerURLError("'\(self)' is a STUN server, not TURN") }
        if scheme == .turns {
            do {
                _ = try TurnTLSContexts.context(trustedCAFile: trustedCAFile)
            } catch {
                throw IceServerURLError("'\(self)': \(error)")
            }
        }
        return TurnServer(address: try resolve(), username: username, password: password,
                          transport: turnTransport(trustedCAFile: trustedCAFile))
    }

    public var description: String {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "\(scheme.rawValue):\(authority)" + (scheme == .turn && overTCP ? "?transport=tcp" : "")
    }
}

public struct IceServerURLError: Error, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
