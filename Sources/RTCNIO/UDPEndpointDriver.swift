import Logging
import NIOCore
import NIOPosix
import RTC

/// Runs one `DatagramEndpoint` (a peer connection, an ICE agent) on real UDP sockets: one per
/// local address, all on one event loop. Datagrams are read in batches and handed to the
/// endpoint where they lie; after each batch the endpoint is polled: transmits are flushed once,
/// events go to the owner, one timer follows the wake-up it asks for. Nothing per packet leaves
/// the event loop. TURN servers reached over
/// TCP or TLS get a connection of the endpoint's own on the same loop (`TurnStreamConnections`).
public final class UDPEndpointDriver<Endpoint: DatagramEndpoint>: Sendable {
    static var datagramsPerRead: Int { DatagramSocketTuning.datagramsPerRead }
    static var maxDatagramSize: Int { DatagramSocketTuning.maxDatagramSize }

    public let eventLoop: any EventLoop
    /// The addresses the sockets are bound to: the endpoint's bases.
    public let bases: [TransportAddress]
    let state: NIOLoopBound<DriverState<Endpoint>>

    /// Why the endpoint hears no multicast DNS answers, when it asked to and cannot.
    public let multicastDNSUnavailable: MulticastDNSUnavailable?

    /// Binds a socket on each address (port 0: any free port) and attaches `makeEndpoint(bases)`.
    /// With `listensForMulticastDNS`, also listens on the mDNS group for answers to the queries
    /// the endpoint sends (failing that, it runs without; see `multicastDNSUnavailable`).
    /// `onEvent` runs on the event loop with each event the endpoint produced, as the driver polls
    /// it after input (a batch of datagrams, a timeout, a `withEndpoint` call): events are pushed
    /// to the owner as they happen instead of the owner polling every connection (a hop onto
    /// each loop) on a timer. It may call into the endpoint (it is not handling input then).
    public static func start(addresses: [IPAddress], eventLoop: any EventLoop, listensForMulticastDNS: Bool = false,
                             onEvent: (@Sendable (Endpoint, Endpoint.Event) -> Void)? = nil,
                             makeEndpoint: @escaping @Sendable ([TransportAddress]) -> Endpoint) async throws -> UDPEndpointDriver {
        let loopState = try await eventLoop.submit { NIOLoopBound(DriverState<Endpoint>(eventLoop: eventLoop), eventLoop: eventLoop) }.get()
        var channels: [any Channel] = []
        var bases: [TransportAddress] = []
        do {
            for address in addresses {
                // No SO_REUSEADDR: Linux hands a port-0 bind any port whose sockets all allow
                // reuse, so two peers of a process got one port now and then, and one of them
                // every datagram meant for both (seen as a connection whose consent expired and
                // whose packets failed authentication, in a 100-peer `publish`).
                let channel = try await DatagramBootstrap(group: eventLoop)
                    .channelOption(.datagramVectorReadMessageCount, value: Self.datagramsPerRead)
                    // NIO divides one receive buffer among the batch: size it for a full
                    // datagram per slot, or datagrams arrive truncated.
                    .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.datagramsPerRead * Self.maxDatagramSize))
                    .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(DatagramHandler(state: loopState.value))
                        }
                    }
                    .bind(host: address.description, port: 0).get()
                guard let local = channel.localAddress.flatMap(TransportAddress.init) else { continue }
                channels.append(channel)
                bases.append(local)
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        var multicastDNSChannel: (any Channel)?
        var multicastDNSUnavailable: MulticastDNSUnavailable?
        if listensForMulticastDNS {
            switch await MulticastDNSSocket.open(joiningOn: bases, eventLoop: eventLoop, makeHandler: { MulticastDNSHandler(state: loopState.value) }) {
            case .success(let channel): multicastDNSChannel = channel
            case .failure(let reason): multicastDNSUnavailable = reason
            }
        }
        let boundBases = bases
        let boundChannels = channels
        let listener = multicastDNSChannel
        try await eventLoop.submit {
            let driverState = loopState.value
            for (base, channel) in zip(boundBases, boundChannels) { driverState.channels[base] = channel }
            driverState.multicastDNSChannel = listener
            driverState.onEvent = onEvent
            driverState.endpoint = makeEndpoint(boundBases)
        }.get()
        return UDPEndpointDriver(eventLoop: eventLoop, bases: bases, state: loopState, multicastDNSUnavailable: multicastDNSUnavailable)
    }

    init(eventLoop: any EventLoop, bases: [TransportAddress], state: NIOLoopBound<DriverState<Endpoint>>,
                 multicastDNSUnavailable: MulticastDNSUnavailable?) {
        self.eventLoop = eventLoop
        self.bases = bases
        self.state = state
        self.multicastDNSUnavailable = multicastDNSUnavailable
    }

    /// Runs `body` with the endpoint on its event loop (signaling input, reading statistics),
    /// then sends whatever it produced and re-arms the timer.
    public func withEndpoint<Result: Sendable>(_ body: @escaping @Sendable (Endpoint) throws -> Result) async throws -> Result {
        let state = self.state
        return try await eventLoop.submit {
            let driverState = state.value
            guard let endpoint = driverState.endpoint else { throw DriverClosed() }
            let result = try body(endpoint)
            driverState.service()
            return result
        }.get()
    }

    /// Runs `body` with the endpoint right here, then sends what it produced and re-arms the
    /// timer: the per-frame path of a sender, already on the driver's event loop, which must not
    /// wait for a hop. Nil once the driver is closed.
    /// - Precondition: called on `eventLoop`.
    public func withEndpointOnEventLoop<Result>(_ body: (Endpoint) throws -> Result) rethrows -> Result? {
        let driverState = state.value
        guard let endpoint = driverState.endpoint, !driverState.closed else { return nil }
        let result = try body(endpoint)
        driverState.service()
        return result
    }

    public func close() async {
        let state = self.state
        let channels = try? await eventLoop.submit {
            let driverState = state.value
            driverState.closed = true
            driverState.timer?.cancel()
            // A shared port's sockets stay open for the other peers; this one only leaves it.
            let owned = driverState.sharedPort == nil ? Array(driverState.channels.values) : []
            driverState.sharedPort?.leave()
            driverState.sharedPort = nil
            let turnStreams = driverState.turnStreams?.closeAll() ?? []
            let passiveTCP = driverState.passiveTCP?.removeAll() ?? []
            return owned + turnStreams + passiveTCP + (driverState.multicastDNSChannel.map { [$0] } ?? [])
        }.get()
        for channel in channels ?? [] { try? await channel.close() }
    }

    public struct DriverClosed: Error {}
}

/// The driver's state, confined to its event loop.
final class DriverState<Endpoint: DatagramEndpoint> {
    let eventLoop: any EventLoop
    var endpoint: Endpoint?
    var channels: [TransportAddress: any Channel] = [:]
    var multicastDNSChannel: (any Channel)?
    var timer: NIOScheduledCallback?
    var timerDeadline: ContinuousClock.Instant?
    var closed = false
    /// The shared port the sockets belong to (nil: the driver's own sockets).
    var sharedPort: SharedPortLink?
    var awaitingService = false
    /// The owner's `onEvent` (see `UDPEndpointDriver.start`).
    var onEvent: (@Sendable (Endpoint, Endpoint.Event) -> Void)?
    /// Connections to TURN servers over TCP or TLS, made when the endpoint first sends to one.
    private(set) var turnStreams: TurnStreamConnections<Endpoint>?
    /// ICE-TCP connections the peer claimed on the shared port's TCP listeners (nil: none).
    var passiveTCP: PassiveTCPConnections?
    /// Destinations resolved once per base: the socket address, or nil when the kernel has no
    /// route there (see `RouteProbe`). Forgotten now and then, as routes come and go.
    private var routes: [RouteKey: SocketAddress?] = [:]
    private var routesForgetAt = ContinuousClock.now + DriverState.routeLifetime
    /// The sockets written to in one `service`, to flush each once; reused, so a service
    /// allocates nothing for it.
    private var touchedChannels: [any Channel] = []
    private static var routeLifetime: Duration { .seconds(10) }

    private struct RouteKey: Hashable {
        var base: TransportAddress
        var destination: TransportAddress
    }

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Polls the endpoint until it says when to wake it: sends what it queued, hands its events
    /// to the owner, re-arms the timer.
    func service() {
        guard let endpoint, !closed else { return }
        endpoint.serviced()
        var wakeUp: ContinuousClock.Instant?
        polling: while true {
            switch endpoint.poll() {
            case .transmit(let transmit): send(transmit)
            case .event(let event): onEvent?(endpoint, event)
            case .wakeUp(let at):
                wakeUp = at
                break polling
            }
        }
        for channel in touchedChannels { channel.flush() }
        touchedChannels.removeAll(keepingCapacity: true)
        turnStreams?.flush()
        passiveTCP?.flush()
        sharedPort?.followUsernameFragment()
        // The owner may have closed the driver from `onEvent`.
        if !closed { rearm(for: wakeUp) }
    }

    /// Writes one transmit (flushed at the end of the service).
    private func send(_ transmit: IceTransmit) {
        if let passiveTCP, passiveTCP.bases.contains(transmit.base) {
            passiveTCP.send(transmit)
            return
        }
        if transmit.transport.isStream {
            if turnStreams == nil { turnStreams = TurnStreamConnections(eventLoop: eventLoop, driver: self) }
            turnStreams?.send(transmit)
            return
        }
        guard let channel = channels[transmit.base], let destination = route(from: transmit.base, to: transmit.destination) else {
            return
        }
        sharedPort?.noteOutbound(transmit.bytes, to: transmit.destination)
        let buffer = channel.allocator.buffer(bytes: transmit.bytes)
        channel.write(AddressedEnvelope(remoteAddress: destination, data: buffer), promise: nil)
        if !touchedChannels.contains(where: { $0 === channel }) { touchedChannels.append(channel) }
    }

    /// Where to write a transmit, or nil to drop it: the kernel has no route from the base (as
    /// with loss on the path, ICE's checks then fail for that pair alone).
    private func route(from base: TransportAddress, to destination: TransportAddress) -> SocketAddress? {
        let key = RouteKey(base: base, destination: destination)
        if let known = routes[key] { return known }
        let now = ContinuousClock.now
        if now >= routesForgetAt || routes.count >= 4_096 {
            routes.removeAll(keepingCapacity: true)
            routesForgetAt = now + Self.routeLifetime
        }
        let address = try? destination.socketAddress
        let resolved = address.flatMap { RouteProbe.canSend(from: base, to: $0) ? $0 : nil }
        routes[key] = .some(resolved)
        return resolved
    }

    /// Arms the timer for `deadline` unless one already fires no later. A timer that fires early
    /// costs one call that finds little due and re-arms; moving it on every later deadline would
    /// cancel and schedule a task per read batch, as liveness deadlines move with every packet.
    private func rearm(for deadline: ContinuousClock.Instant?) {
        if timer != nil, let armed = timerDeadline, deadline.map({ armed <= $0 }) ?? true { return }
        guard deadline != timerDeadline else { return }
        timer?.cancel()
        timer = nil
        timerDeadline = deadline
        guard let deadline else { return }
        let delay = max(.zero, deadline - ContinuousClock.now)
        let (seconds, attoseconds) = delay.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        // On the loop's ticks: due in the same wake-up as the other peers' timers and the shared
        // port's next read. Handled by this object, so arming the timer allocates nothing.
        timer = try? eventLoop.assumeIsolated().scheduleCallback(at: LoopTick.deadline(in: .nanoseconds(nanoseconds)), handler: self)
    }
}

extension DriverState: NIOScheduledCallbackHandler {
    /// The timer fired.
    func handleScheduledCallback(eventLoop: some EventLoop) {
        timerDeadline = nil
        timer = nil
        guard !closed, let endpoint else { return }
        endpoint.handleTimeout(now: .now)
        service()
    }
}

extension DriverState {
    /// A message from a TURN server over a stream connection.
    func receive(turnMessage: UnsafeRawBufferPointer, on key: TurnStreamKey, now: ContinuousClock.Instant) {
        guard let endpoint, !closed else { return }
        endpoint.receive(turnMessage: turnMessage, from: key.server, over: key.transport, on: key.base, now: now)
    }

    /// A stream connection to a TURN server ended (or never opened).
    func turnStreamClosed(_ key: TurnStreamKey, reason: String) {
        guard let endpoint, !closed else { return }
        endpoint.turnConnectionClosed(to: key.server, over: key.transport, on: key.base, reason: reason, now: .now)
        service()
    }
}

extension DriverState: SharedPortMember {
    var needsService: Bool { endpoint?.needsService ?? false }

    func receive(_ datagram: UnsafeMutableRawBufferPointer, from source: TransportAddress, on base: TransportAddress,
                 now: ContinuousClock.Instant) {
        guard let endpoint, !closed else { return }
        endpoint.receive(datagram, from: source, on: base, now: now)
    }

    func receiveMulticastDNS(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, now: ContinuousClock.Instant) {
        guard let endpoint, !closed else { return }
        endpoint.receiveMulticastDNS(datagram, from: source, now: now)
    }

    func adoptPassiveTCP(_ connection: any Channel, from remote: TransportAddress, on base: TransportAddress) -> Bool {
        guard endpoint != nil, !closed, let passiveTCP, passiveTCP.bases.contains(base) else { return false }
        passiveTCP.adopt(connection, from: remote, on: base)
        return true
    }

    func passiveTCPClosed(_ connection: any Channel, from remote: TransportAddress, on base: TransportAddress, reason: String) {
        guard let passiveTCP, passiveTCP.remove(connection, from: remote, on: base), let endpoint, !closed else { return }
        endpoint.passiveTCPConnectionClosed(from: remote, on: base, reason: reason, now: .now)
        service()
    }
}

/// Feeds received datagrams to the endpoint and services it once per read batch.
final class DatagramHandler<Endpoint: DatagramEndpoint>: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let state: DriverState<Endpoint>
    private var base: TransportAddress?
    private let scratch = DatagramScratch()
    /// Whether a datagram of this read batch left the endpoint wanting service.
    private var batchNeedsService = false

    init(state: DriverState<Endpoint>) {
        self.state = state
    }

    func channelActive(context: ChannelHandlerContext) {
        base = context.channel.localAddress.flatMap(TransportAddress.init)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let endpoint = state.endpoint, !state.closed,
              let base = base ?? context.channel.localAddress.flatMap(TransportAddress.init),
              let source = TransportAddress(envelope.remoteAddress) else { return }
        self.base = base
        let now = ContinuousClock.now
        scratch.withMutableCopy(of: envelope.data) { bytes in
            endpoint.receive(bytes, from: source, on: base, now: now)
        }
        batchNeedsService = batchNeedsService || endpoint.needsService
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if batchNeedsService {
            batchNeedsService = false
            state.service()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port unreachable and the like surface here on a connected-less UDP socket; the
        // endpoint's own timers judge liveness, so a socket error is not fatal.
    }
}
