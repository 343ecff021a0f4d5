import NIOCore
import RTC

/// A STUN or TURN server URL as WebRTC configurations write them: `stun:HOST[:PORT]`,
/// `turn:HOST[:PORT][?transport=udp]`. Tapedeck speaks to TURN over UDP.
public struct IceServerURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case stun, turn }

    public var scheme: Scheme
    public var host: String
    public var port: Int

    public init(parsing text: String) throws(IceServerURLError) {
        guard let colon = text.firstIndex(of: ":"), let scheme = Scheme(rawValue: text[..<colon].lowercased()) else {
            throw IceServerURLError("'\(text)' is not a stun: or turn: URL")
        }
        var rest = text[text.index(after: colon)...]
        if let query = rest.firstIndex(of: "?") {
            let parameters = rest[rest.index(after: query)...]
            if parameters.lowercased().contains("transport=tcp") {
                throw IceServerURLError("'\(text)': TURN over TCP is not supported; use transport=udp")
            }
            rest = rest[..<query]
        }
        var host = Substring(rest)
        var port = 3_478
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

    public var description: String { "\(scheme.rawValue):\(host):\(port)" }
}

public struct IceServerURLError: Error, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
