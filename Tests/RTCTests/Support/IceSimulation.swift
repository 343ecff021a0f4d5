import RTC
import Testing

/// Two ICE agents on a simulated network, with trickle signaling between them (delivered after
/// `signalingDelay`, or withheld to model mDNS-hidden candidates).
struct IceSimulation {
    struct Endpoint {
        var agent: IceAgent
        var bases: [TransportAddress]
        var states: [IceConnectionState] = []
        var failureReason: String?
        var selected: (local: Candidate, remote: Candidate)?
        /// Trickled candidates reach the other side only when true.
        var signalsCandidates = true
    }

    var network: SimulatedNetwork
    var endpoints: [Endpoint]
    var now: ContinuousClock.Instant
    var signalingDelay: Duration = .milliseconds(30)
    private var pendingSignals: [(at: ContinuousClock.Instant, to: Int, candidate: Candidate)] = []
    let start: ContinuousClock.Instant

    /// A STUN server (RFC 8489 Binding only) on the simulated network, for server-reflexive
    /// candidates: it answers every Binding request with the address it came from.
    var stunServer: TransportAddress?

    init(network: SimulatedNetwork, roles: (IceRole, IceRole), bases: ([TransportAddress], [TransportAddress]), seed: UInt64 = 1,
         configurations: (IceConfiguration, IceConfiguration) = (IceConfiguration(), IceConfiguration())) {
        var random = SeededRandom(seed: seed)
        let credentials = (IceCredentials.random(using: &random), IceCredentials.random(using: &random))
        self.network = network
        self.endpoints = [
            Endpoint(agent: IceAgent(role: roles.0, credentials: credentials.0, configuration: configurations.0, seed: random.next()),
                     bases: bases.0),
            Endpoint(agent: IceAgent(role: roles.1, credentials: credentials.1, configuration: configurations.1, seed: random.next()),
                     bases: bases.1),
        ]
        start = ContinuousClock.now
        now = start
    }

    /// Exchanges credentials (as the SDP would) and starts gathering on both sides.
    mutating func begin() {
        endpoints[0].agent.setRemoteCredentials(endpoints[1].agent.localCredentials, now: now)
        endpoints[1].agent.setRemoteCredentials(endpoints[0].agent.localCredentials, now: now)
        for index in endpoints.indices { endpoints[index].agent.startGathering(bases: endpoints[index].bases, now: now) }
        drain()
    }

    /// Runs the virtual clock until `condition` holds or `limit` of simulated time passes.
    @discardableResult
    mutating func run(for limit: Duration, until condition: (IceSimulation) -> Bool = { _ in false }) -> Bool {
        let deadline = now + limit
        drain()  // anything the test did to an agent directly
        var wakeupsWithoutProgress = 0
        while now < deadline {
            if condition(self) { return true }
            let candidates = [network.nextDelivery, pendingSignals.map(\.at).min()]
                + endpoints.map { $0.agent.nextTimeout }
            guard let next = candidates.compactMap({ $0 }).min() else { break }
            // A wake-up in the past that handling does not move is a spinning timer: a real
            // driver would burn a core. Fail instead of hanging.
            wakeupsWithoutProgress = next <= now ? wakeupsWithoutProgress + 1 : 0
            if wakeupsWithoutProgress > 1_000 {
                Issue.record("timer spins at \(now - start): \(endpoints.map { $0.agent.nextTimeout.map { $0 - start } })")
                return false
            }
            now = max(now, min(next, deadline))
            for datagram in network.deliver(until: now) {
                if datagram.to == stunServer {
                    answerBinding(datagram)
                    continue
                }
                guard let index = endpoints.firstIndex(where: { $0.bases.contains(datagram.to) }) else { continue }
                _ = endpoints[index].agent.handle(datagram: datagram.bytes, from: datagram.from, on: datagram.to, now: now)
            }
            let due = pendingSignals.filter { $0.at <= now }
            pendingSignals.removeAll { $0.at <= now }
            for signal in due { endpoints[signal.to].agent.addRemoteCandidate(signal.candidate, now: now) }
            for index in endpoints.indices { endpoints[index].agent.handleTimeout(now: now) }
            drain()
        }
        return condition(self)
    }

    private mutating func answerBinding(_ datagram: SimulatedNetwork.Datagram) {
        guard let request = try? StunMessage(decoding: datagram.bytes), request.type == StunMessageType(method: .binding, class: .request)
        else { return }
        let response = StunMessage(type: StunMessageType(method: .binding, class: .successResponse),
                                   transactionID: request.transactionID, attributes: [.xorMappedAddress(datagram.from)])
        network.send(response.encoded(), from: datagram.to, to: datagram.from, now: now)
    }

    private mutating func drain() {
        for index in endpoints.indices {
            while let transmit = endpoints[index].agent.pollTransmit() {
                network.send(transmit.bytes, from: transmit.base, to: transmit.destination, now: now)
            }
            while let event = endpoints[index].agent.pollEvent() {
                switch event {
                case .localCandidate(let candidate):
                    if endpoints[index].signalsCandidates {
                        pendingSignals.append((now + signalingDelay, 1 - index, candidate))
                    }
                case .gatheringComplete, .relayUnavailable:
                    break
                case .stateChanged(let state, let reason):
                    endpoints[index].states.append(state)
                    if state == .failed { endpoints[index].failureReason = reason }
                case .selectedPair(let local, let remote):
                    endpoints[index].selected = (local, remote)
                }
            }
        }
    }

    var bothConnected: Bool { endpoints.allSatisfy { $0.agent.state == .connected } }
    var elapsed: Duration { now - start }
}
