import RTC

/// An ICE agent alone as a `DatagramEndpoint`, for driving ICE over real sockets in tests.
final class IceEndpoint: DatagramEndpoint {
    let agent: IceAgent
    var events: [IceEvent] = []
    var applicationDatagrams = 0
    /// Why inbound datagrams were dropped, for failure messages.
    var dropReasons: [String] = []

    init(agent: IceAgent) {
        self.agent = agent
    }

    func receive(_ datagram: UnsafeMutableRawBufferPointer, from source: TransportAddress, on base: TransportAddress,
                 now: ContinuousClock.Instant) {
        switch agent.handle(datagram: Array(datagram), from: source, on: base, now: now) {
        case .application, .relayedApplication: applicationDatagrams += 1
        case .dropped(let reason): dropReasons.append(reason)
        case .consumed: break
        }
    }

    func receive(turnMessage: UnsafeRawBufferPointer, from server: TransportAddress, over transport: TurnTransport,
                 on base: TransportAddress, now: ContinuousClock.Instant) {
        switch agent.handle(turnMessage: Array(turnMessage), from: server, over: transport, on: base, now: now) {
        case .application, .relayedApplication: applicationDatagrams += 1
        case .dropped(let reason): dropReasons.append(reason)
        case .consumed: break
        }
    }

    func turnConnectionClosed(to server: TransportAddress, over transport: TurnTransport, on base: TransportAddress,
                              reason: String, now: ContinuousClock.Instant) {
        agent.turnConnectionClosed(to: server, over: transport, on: base, reason: reason, now: now)
    }

    func receiveMulticastDNS(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, now: ContinuousClock.Instant) {
        agent.handle(multicastDNS: Array(datagram), now: now)
    }

    func handleTimeout(now: ContinuousClock.Instant) {
        agent.handleTimeout(now: now)
    }

    /// The agent's output; its events are also kept in `events`.
    func poll() -> EndpointOutput<IceEvent> {
        if let transmit = agent.pollTransmit() { return .transmit(transmit) }
        if let event = agent.pollEvent() {
            events.append(event)
            return .event(event)
        }
        return .wakeUp(at: agent.nextTimeout)
    }

    /// Events the driver has not polled yet, into `events`.
    func drainEvents() {
        while let event = agent.pollEvent() { events.append(event) }
    }

    /// Local candidates not yet handed to the peer.
    var signalledCandidates = 0
    func takeNewCandidates() -> [Candidate] {
        drainEvents()
        let all = events.compactMap { if case .localCandidate(let candidate) = $0 { candidate } else { nil } }
        defer { signalledCandidates = all.count }
        return Array(all.dropFirst(signalledCandidates))
    }

    var failureReason: String? {
        events.lazy.compactMap { if case .stateChanged(.failed, let reason) = $0 { reason } else { nil } }.first
    }
}
