import RTC
import RTCNIO

/// How the bot's peer connections reach the network: ICE servers and policy, the interfaces
/// gathered, and the process's shared ports. One value for every room a process joins; a job
/// may add servers of its own (`addingServer`).
public struct PeerNetworkConfiguration: Sendable {
    public var ice = IceConfiguration()
    /// Gather host candidates on loopback too (peers on the same machine, tests).
    public var includeLoopback = false
    /// The process's one UDP port for every peer (`tapedeck` defaults to 7882), or a random
    /// port per peer (the library's default: tests run many sessions side by side).
    public var udpPort: UDPPortChoice = .perPeer
    /// The process's ICE-TCP port (`--rtc-tcp-port`, off by default, 7881 suggested; 0: none): every peer on the
    /// shared `udpPort` also offers a passive TCP candidate there (see docs/tcp-port.md).
    public var passiveTCPPort: UInt16 = 0
    /// A PEM file of CA certificates trusted for added `turns:` servers besides the system's.
    public var turnTLSCAFile: String?

    public init() {}

    /// This configuration with one more STUN or TURN server, as WebRTC's `RTCIceServer` gives
    /// it (`stun:`, `turn:` or `turns:` URLs sharing one username and credential). Resolves
    /// each host (a blocking lookup, done once as a recording starts).
    public func addingServer(urls: [String], username: String?, credential: String?) throws(IceServerRefusal) -> PeerNetworkConfiguration {
        var configuration = self
        for url in urls {
            do {
                let parsed = try IceServerURL(parsing: url)
                switch parsed.scheme {
                case .stun:
                    configuration.ice.stunServers.append(try parsed.resolve())
                case .turn, .turns:
                    configuration.ice.turnServers.append(try parsed.turnServer(username: username ?? "", password: credential ?? "",
                                                                               trustedCAFile: turnTLSCAFile))
                }
            } catch {
                throw IceServerRefusal(description: "\(error)")
            }
        }
        return configuration
    }
}

/// Why an ICE server cannot be used (a malformed URL, a host that does not resolve), in words.
public struct IceServerRefusal: Error, CustomStringConvertible {
    public let description: String
}
