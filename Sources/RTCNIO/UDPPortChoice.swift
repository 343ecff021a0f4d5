import Synchronization
import NIOCore
import NIOPosix
import RTC

/// Where peer connections' UDP sockets come from (`--rtc-udp-port`).
public enum UDPPortChoice: Sendable, Hashable, CustomStringConvertible {
    /// Sockets of each peer's own, on ports the kernel picks.
    case perPeer
    /// One port for every peer of the process (`SharedUDPPort`).
    case shared(UInt16)
    /// A port per RTC event loop, peers dealt out over them in turn: the shared port's design
    /// (a port's peers on its loop, no hops) spread over several cores.
    case sharedRange(ClosedRange<UInt16>)

    /// The port `serve`, `worker`, `record` and `join` use unless told otherwise.
    public static var defaultPort: UInt16 { 7882 }
    /// Their ICE-TCP port (`--rtc-tcp-port`), as LiveKit's: peers whose UDP is blocked connect there.

    /// `0` is `perPeer`, anything else a shared port.
    public init(port: UInt16) {
        self = port == 0 ? .perPeer : .shared(port)
    }

    /// The shared ports this choice uses (empty for `perPeer`): to bind them all at start.
    public var sharedPorts: [UInt16] {
        switch self {
        case .perPeer: []
        case .shared(let port): [port]
        case .sharedRange(let ports): Array(ports)
        }
    }

    /// The sockets for a new peer connection with this ICE configuration. TURN keeps sockets of
    /// its own: a TURN server holds one allocation per client address and port (RFC 8656 §2),
    /// and its relayed datagrams name the peer only inside, so peers relayed through one server
    /// cannot share a port.
    ///
    /// `passiveTCPPort` (0: none) is the process's ICE-TCP port; it comes with a single shared
    /// port, whose event loop its connections share (a range's ports, on loops of their own,
    /// and sockets of a peer's own take no TCP).
    public func sockets(for ice: IceConfiguration, passiveTCPPort: UInt16 = 0) -> PeerSockets {
        guard ice.turnServers.isEmpty else { return .own(RTCEventLoops.group.next()) }
        return switch self {
        case .perPeer: .own(RTCEventLoops.group.next())
        case .shared(let port): .shared(SharedUDPPorts.port(port, passiveTCPPort: passiveTCPPort))
        case .sharedRange(let ports): .shared(SharedUDPPorts.nextPort(in: ports))
        }
    }

    public var description: String {
        switch self {
        case .perPeer: "a random port per peer"
        case .shared(let port): "UDP port \(port)"
        case .sharedRange(let ports): "UDP ports \(ports.lowerBound)-\(ports.upperBound)"
        }
    }
}

/// The sockets of one peer connection, decided before it starts: its event loop follows.
public enum PeerSockets: Sendable {
    case shared(SharedUDPPort)
    case own(any EventLoop)

    /// The loop the peer runs on (its frames, timers and signaling hops).
    public var eventLoop: any EventLoop {
        switch self {
        case .shared(let port): port.eventLoop
        case .own(let eventLoop): eventLoop
        }
    }
}

/// The process's shared ports, one per port number, opened on first use and kept for the
/// process's life (like `RTCEventLoops.group`).
public enum SharedUDPPorts {
    private struct Registry {
        var ports: [UInt16: SharedUDPPort] = [:]
        /// How many peers were dealt a port of a range so far.
        var dealt = 0

        mutating func port(_ number: UInt16, passiveTCPPort: UInt16 = 0) -> SharedUDPPort {
            if let port = ports[number] { return port }
            // Ports opened one after another land on successive loops of the group.
            let port = SharedUDPPort(port: number, passiveTCPPort: passiveTCPPort == 0 ? nil : passiveTCPPort,
                                     eventLoop: RTCEventLoops.group.next())
            ports[number] = port
            return port
        }
    }

    private static let registry = Mutex(Registry())

    /// The shared port `number`; opening it, with an ICE-TCP listener on `passiveTCPPort`
    /// unless 0. The first caller decides: the process binds its ports at start (the commands'
    /// preflight), with the TCP port it was given.
    public static func port(_ number: UInt16, passiveTCPPort: UInt16 = 0) -> SharedUDPPort {
        registry.withLock { $0.port(number, passiveTCPPort: passiveTCPPort) }
    }

    /// The next port of the range in turn, for a new peer.
    public static func nextPort(in range: ClosedRange<UInt16>) -> SharedUDPPort {
        registry.withLock { registry in
            let offset = registry.dealt % range.count
            registry.dealt += 1
            return registry.port(range.lowerBound + UInt16(offset))
        }
    }
}
