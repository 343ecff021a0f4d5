import RTC
import Testing

/// Two `PeerConnection`s on a simulated network: A offers to receive, B answers as a sender (or B
/// offers to send and A answers); candidates are trickled through a signaling channel with a delay.
struct PeerSimulation {
    var network: SimulatedNetwork
    let a: PeerConnection
    let b: PeerConnection
    var now: ContinuousClock.Instant
    let start: ContinuousClock.Instant
    var events: [[PeerConnectionEvent]] = [[], []]
    private var signals: [(at: ContinuousClock.Instant, to: Int, candidate: String)] = []
    /// When each peer asked to be woken, as of its last poll.
    private var wakeUps: [ContinuousClock.Instant?] = [nil, nil]
    let bases = [TransportAddress(ip: IPAddress("192.0.2.10")!, port: 40_000), TransportAddress(ip: IPAddress("192.0.2.20")!, port: 50_000)]

    /// - Parameters:
    ///   - sendTracks: what B declares it sends, in its answer (or its offer).
    ///   - senderOffers: B offers to send `sendTracks` and A answers, instead of A offering to receive.
    init(network: SimulatedNetwork, seed: UInt64, tamperAnswer: (String) -> String = { $0 },
         sendTracks: [SDP.OutboundTrack] = [], senderOffers: Bool = false,
         configureReceiver: (inout PeerConnectionConfiguration, _ start: ContinuousClock.Instant) -> Void = { _, _ in },
         configureSender: (inout PeerConnectionConfiguration, _ start: ContinuousClock.Instant) -> Void = { _, _ in }) throws {
        start = ContinuousClock.now
        self.network = network
        let certificateA = try DTLSCertificate(issuedAt: 1_800_000_000)
        let certificateB = try DTLSCertificate(issuedAt: 1_800_000_000)
        var receiverConfiguration = PeerConnectionConfiguration(certificate: certificateA)
        configureReceiver(&receiverConfiguration, start)
        a = PeerConnection(configuration: receiverConfiguration, seed: seed)
        var senderConfiguration = PeerConnectionConfiguration(certificate: certificateB)
        senderConfiguration.sendsMedia = true
        configureSender(&senderConfiguration, start)
        b = PeerConnection(configuration: senderConfiguration, seed: seed &+ 1)
        now = start
        a.start(bases: [bases[0]], now: now)
        b.start(bases: [bases[1]], now: now)
        if senderOffers {
            let offer = b.createSendOffer(tracks: sendTracks, now: now)
            let answer = try a.answer(remoteOffer: offer, now: now)
            try b.setRemoteAnswer(tamperAnswer(answer), now: now)
        } else {
            let offer = a.createReceiveOnlyOffer(now: now)
            let answer = try b.answer(remoteOffer: offer, sending: sendTracks, now: now)
            try a.setRemoteAnswer(tamperAnswer(answer), now: now)
        }
    }

    var peers: [PeerConnection] { [a, b] }

    @discardableResult
    mutating func run(for limit: Duration, until condition: (PeerSimulation) -> Bool) -> Bool {
        let deadline = now + limit
        var spins = 0
        while now < deadline {
            drain()
            if condition(self) { return true }
            let next = ([network.nextDelivery, signals.map(\.at).min()] + wakeUps).compactMap { $0 }.min()
            guard let next else { break }
            spins = next <= now ? spins + 1 : 0
            if spins > 1_000 {
                Issue.record("timer spins at \(now - start)")
                return false
            }
            now = max(now, min(next, deadline))
            for datagram in network.deliver(until: now) {
                guard let index = bases.firstIndex(of: datagram.to) else { continue }
                var bytes = datagram.bytes
                bytes.withUnsafeMutableBytes { peers[index].receive($0, from: datagram.from, on: datagram.to, now: now) }
            }
            let due = signals.filter { $0.at <= now }
            signals.removeAll { $0.at <= now }
            for signal in due { try? peers[signal.to].addRemoteCandidate(signal.candidate, now: now) }
            for peer in peers { peer.handleTimeout(now: now) }
        }
        drain()
        return condition(self)
    }

    /// Each peer's output: datagrams onto the network, candidates trickled after a signaling
    /// delay, and when it wants to be woken.
    private mutating func drain() {
        for (index, peer) in peers.enumerated() {
            let output = peer.pollAll()
            wakeUps[index] = output.wakeUp
            for transmit in output.transmits {
                network.send(transmit.bytes, from: transmit.base, to: transmit.destination, now: now)
            }
            for event in output.events {
                events[index].append(event)
                if case .localCandidate(let candidate) = event {
                    signals.append((now + .milliseconds(30), 1 - index, candidate.sdpValue))
                }
            }
        }
    }

    var bothConnected: Bool { a.isConnected && b.isConnected }

    func failure(of index: Int) -> String? {
        events[index].lazy.compactMap { if case .failed(let reason) = $0 { reason } else { nil } }.first
    }
}
