import NIOCore
import RTC

/// An endpoint that can live on a shared UDP port: its checks are routed by its ICE ufrag.
public protocol SharedPortEndpoint: DatagramEndpoint {
    /// The ufrag connectivity checks for this endpoint carry; it changes on an ICE restart.
    var localUsernameFragment: String { get }
    /// The port's ICE-TCP listening sockets: connections to them that check this endpoint's
    /// ufrag are handed to it (passive candidates, RFC 6544).
    func acceptPassiveTCP(on tcpBases: [TransportAddress], now: ContinuousClock.Instant)
}

extension SharedPortEndpoint {
    public func acceptPassiveTCP(on tcpBases: [TransportAddress], now: ContinuousClock.Instant) {}
}

extension PeerConnection: SharedPortEndpoint {}

extension UDPEndpointDriver where Endpoint: SharedPortEndpoint {
    /// Attaches `makeEndpoint(bases)` to the shared port's sockets on these addresses (bound on
    /// first use), on the port's event loop, and to its ICE-TCP listeners when it has them.
    /// Closing the driver leaves the port; it stays open.
    public static func start(on port: SharedUDPPort, addresses: [IPAddress], listensForMulticastDNS: Bool = false,
                             onEvent: (@Sendable (Endpoint, Endpoint.Event) -> Void)? = nil,
                             makeEndpoint: @escaping @Sendable ([TransportAddress]) -> Endpoint) async throws -> UDPEndpointDriver {
        let bases = try await port.bind(addresses)
        let tcpBases = try await port.listenPassiveTCP(addresses)
        let eventLoop = port.eventLoop
        let loopState = try await eventLoop.submit { NIOLoopBound(DriverState<Endpoint>(eventLoop: eventLoop), eventLoop: eventLoop) }.get()
        // One listener for the whole port, every member hears its answers (see SharedUDPPort).
        let multicastDNSUnavailable = listensForMulticastDNS ? await port.listenForMulticastDNS(joiningOn: bases) : nil
        let portState = port.state
        try await eventLoop.submit {
            let driverState = loopState.value
            let sockets = portState.value
            for base in bases { driverState.channels[base] = sockets.channels[base] }
            let endpoint = makeEndpoint(bases)
            driverState.onEvent = onEvent
            driverState.endpoint = endpoint
            if !tcpBases.isEmpty {
                driverState.passiveTCP = PassiveTCPConnections(bases: tcpBases)
                endpoint.acceptPassiveTCP(on: tcpBases, now: .now)
            }
            driverState.sharedPort = SharedPortLink(port: sockets, member: driverState) { endpoint.localUsernameFragment }
            // Gathering may already have queued STUN requests: send them through the link.
            driverState.service()
        }.get()
        return UDPEndpointDriver(eventLoop: eventLoop, bases: bases, state: loopState, multicastDNSUnavailable: multicastDNSUnavailable)
    }

    /// Starts the endpoint on the sockets `plan` says: the shared port, or sockets of its own.
    public static func start(_ plan: PeerSockets, addresses: [IPAddress], listensForMulticastDNS: Bool = false,
                             onEvent: (@Sendable (Endpoint, Endpoint.Event) -> Void)? = nil,
                             makeEndpoint: @escaping @Sendable ([TransportAddress]) -> Endpoint) async throws -> UDPEndpointDriver {
        switch plan {
        case .shared(let port):
            try await start(on: port, addresses: addresses, listensForMulticastDNS: listensForMulticastDNS, onEvent: onEvent,
                            makeEndpoint: makeEndpoint)
        case .own(let eventLoop):
            try await start(addresses: addresses, eventLoop: eventLoop, listensForMulticastDNS: listensForMulticastDNS,
                            onEvent: onEvent, makeEndpoint: makeEndpoint)
        }
    }
}
