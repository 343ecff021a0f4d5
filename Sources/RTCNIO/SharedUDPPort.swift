import Glibc
import NIOCore
import NIOPosix
import RTC

/// One UDP port for every peer connection in the process: a socket per local address, all on
/// one RTC event loop, demultiplexed to the peers by `SharedPortDemultiplexer` (ICE ufrag, STUN
/// transaction, remote address). A container or a firewall then publishes one port.
///
/// Every peer on the port runs on the port's event loop, so a datagram goes from the socket to
/// its peer without a hop or a copy. The price is one core for the port's peers; a process that
/// needs more gives each event loop a port of its own (a range), never SO_REUSEPORT sockets on
/// one port, which the kernel would hand datagrams by a hash of the sender, to whichever loop
/// (see docs/udp-port.md).
///
/// Multicast DNS answers (peers' `.local` names resolved) arrive on one listener for the whole
/// port and go to every member: they are rare, and each peer's resolver keeps only the names it
/// asked for.
///
/// With a `passiveTCPPort`, the port also listens on that TCP port (ICE-TCP, RFC 6544: a
/// `tcptype passive` candidate for each peer), on the same loop; a connection belongs to the
/// peer whose ufrag its first check names (see docs/tcp-port.md).
public final class SharedUDPPort: Sendable {
    public let port: UInt16
    /// The ICE-TCP port the peers on this port also take connections on; nil: none.
    public let passiveTCPPort: UInt16?
    public let eventLoop: any EventLoop
    let state: NIOLoopBoundBox<SharedPortState>
    private let sockets: SharedPortSockets
    private let tcpListeners: PassiveTCPListeners?

    init(port: UInt16, passiveTCPPort: UInt16? = nil, eventLoop: any EventLoop) {
        self.port = port
        self.passiveTCPPort = passiveTCPPort
        self.eventLoop = eventLoop
        // A fresh state, moved into the box: it may be made off the loop.
        state = NIOLoopBoundBox.makeBoxSendingValue(SharedPortState(), eventLoop: eventLoop)
        sockets = SharedPortSockets(port: port, eventLoop: eventLoop)
        tcpListeners = passiveTCPPort.map { PassiveTCPListeners(port: $0, eventLoop: eventLoop) }
    }

    /// The port's ICE-TCP listening sockets on these addresses (bound on first use), the TCP
    /// bases of a peer on it; none without a `passiveTCPPort`.
    public func listenPassiveTCP(_ addresses: [IPAddress]) async throws -> [TransportAddress] {
        guard let tcpListeners else { return [] }
        var bases: [TransportAddress] = []
        for address in addresses {
            bases.append(try await tcpListeners.base(on: address, state: state))
        }
        return bases
    }

    /// ICE-TCP connections turned away at once because too many were waiting for a first check.
    public func refusedTCPConnections() async throws -> Int {
        let state = self.state
        return try await eventLoop.submit { state.value.refusedTCPConnections }.get()
    }

    /// The port's sockets on these addresses (bound on first use): the bases of a peer on it.
    public func bind(_ addresses: [IPAddress]) async throws -> [TransportAddress] {
        var bases: [TransportAddress] = []
        for address in addresses {
            bases.append(try await sockets.base(on: address, state: state))
        }
        return bases
    }

    /// Opens the port's multicast DNS listener, once; nil when listening, else why not.
    func listenForMulticastDNS(joiningOn bases: [TransportAddress]) async -> MulticastDNSUnavailable? {
        await sockets.multicastDNS(joiningOn: bases, state: state)
    }

    /// What the port has dropped so far.
    public func statistics() async throws -> SharedPortStatistics {
        let state = self.state
        return try await eventLoop.submit { state.value.demux.statistics }.get()
    }

    /// How many peers are on the port now.
    public func memberCount() async throws -> Int {
        let state = self.state
        return try await eventLoop.submit { state.value.demux.memberCount }.get()
    }
}

/// Binds the port's sockets one address at a time: two peers starting at once must not both
/// try to bind the same address and port.
actor SharedPortSockets {
    let port: UInt16
    let eventLoop: any EventLoop
    private let bindings = BindingsByAddress()
    private var multicastDNSListener: Task<MulticastDNSUnavailable?, Never>?

    init(port: UInt16, eventLoop: any EventLoop) {
        self.port = port
        self.eventLoop = eventLoop
    }

    func base(on address: IPAddress, state: NIOLoopBoundBox<SharedPortState>) async throws -> TransportAddress {
        let port = self.port, eventLoop = self.eventLoop
        return try await bindings.base(on: address) {
            try await Self.bindSocket(on: address, port: port, eventLoop: eventLoop, state: state)
        }
    }

    func multicastDNS(joiningOn bases: [TransportAddress], state: NIOLoopBoundBox<SharedPortState>) async -> MulticastDNSUnavailable? {
        if let multicastDNSListener { return await multicastDNSListener.value }
        let eventLoop = self.eventLoop
        let listener = Task {
            switch await MulticastDNSSocket.open(joiningOn: bases, eventLoop: eventLoop,
                                                 makeHandler: { SharedMulticastDNSHandler(state: state.value) }) {
            case .success: return nil as MulticastDNSUnavailable?
            case .failure(let reason): return reason
            }
        }
        multicastDNSListener = listener
        return await listener.value
    }

    private static func bindSocket(on address: IPAddress, port: UInt16, eventLoop: any EventLoop,
                                   state: NIOLoopBoundBox<SharedPortState>) async throws -> TransportAddress {
        let channel: any Channel
        do {
            let socket = try BoundUDPSocket.make(address, port: port)
            // NIO never reads this socket (nor watches it for reading): the port drains it on
            // the loop's ticks (`SharedPortReads`).
            channel = try await DatagramBootstrap(group: eventLoop)
                .channelOption(.autoRead, value: false)
                // Every peer of the process reads through this one socket.
                .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        guard let reader = DatagramBatchReader() else { throw IOError(errnoCode: ENOMEM, reason: "receive batch") }
                        try channel.pipeline.syncOperations.addHandler(SharedPortHandler(state: state.value, socket: socket,
                                                                                           reader: reader))
                    }
                }
                .withBoundSocket(socket).get()
        } catch {
            throw MediaPortBindError(transport: .udp, address: address, port: port, underlying: error)
        }
        guard let base = channel.localAddress.flatMap(TransportAddress.init) else {
            try? await channel.close()
            throw MediaPortBindError(transport: .udp, address: address, port: port, underlying: nil)
        }
        try await eventLoop.submit { state.value.channels[base] = channel }.get()
        return base
    }
}

/// The shared UDP port, or the ICE-TCP port beside it, could not be bound on an address: in use
/// by another process, most likely.
public struct MediaPortBindError: Error, CustomStringConvertible {
    public enum Transport: Sendable { case udp, tcp }
    public let transport: Transport
    public let address: IPAddress
    public let port: UInt16
    let underlying: (any Error)?

    public var description: String {
        let what = transport == .udp ? "bind UDP port" : "listen on TCP port"
        return "cannot \(what) \(port) on \(address): \(underlying.map { "\($0)" } ?? "no local address")"
    }
}
