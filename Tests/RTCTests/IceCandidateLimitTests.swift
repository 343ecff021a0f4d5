@testable import RTC
import Testing

private func address(_ text: String, _ port: UInt16) -> TransportAddress {
    TransportAddress(ip: IPAddress(text)!, port: port)
}

private let aliceBase = address("192.0.2.10", 40_000)
private let bobBase = address("192.0.2.20", 50_000)

/// The `index`th of a flood of host candidates, each at an address of its own (10.0.0.0/8, where
/// nobody answers), with a host candidate's priority so they outrank anything peer-reflexive.
private func floodCandidate(_ index: Int) -> Candidate {
    let ip = IPAddress.v4(10, UInt8(index >> 16 & 0xFF), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF))
    return Candidate(foundation: "f\(index)", priority: Candidate.priority(kind: .host, localPreference: 65_535),
                     address: TransportAddress(ip: ip, port: 9_000), kind: .host)
}

/// What a peer may make an ICE agent hold (`IceCandidateLimits`): candidates trickled without
/// end, and checks from ever new addresses.
@Suite("ICE candidate limits: a peer flooding candidates")
struct IceCandidateLimitTests {
    /// The tables a flood could grow, checked against the caps: candidates, pairs (our one
    /// socket times the remote cap) and transactions (one outstanding check per pair, and a
    /// consent check).
    private func expectBounded(_ agent: IceAgent, _ comment: Comment? = nil) {
        #expect(agent.remoteCandidates.count <= IceCandidateLimits.remoteCandidates, comment)
        #expect(agent.pairs.count <= IceCandidateLimits.remoteCandidates, comment)
        #expect(agent.transactions.entries.count <= IceCandidateLimits.remoteCandidates + 1, comment)
        #expect(agent.triggeredChecks.count <= agent.pairs.count, comment)
    }

    @Test("10,000 candidates trickled after connecting: the tables stay within the caps, the refused are counted, the call keeps its pair")
    func floodAfterConnecting() {
        var simulation = IceSimulation(network: SimulatedNetwork(seed: 21), roles: (.controlling, .controlled),
                                       bases: ([aliceBase], [bobBase]))
        simulation.begin()
        #expect(simulation.run(for: .seconds(5)) { $0.bothConnected })
        let alice = simulation.endpoints[0].agent
        let selected = simulation.endpoints[0].selected
        #expect(alice.remoteCandidates.count == 1)

        for index in 0..<10_000 { alice.addRemoteCandidate(floodCandidate(index), now: simulation.now) }
        // Long enough for every flooded pair's checks to run out, and for consent to expire if it
        // were starved: the tables are checked all along.
        var largestPairs = 0, largestTransactions = 0
        simulation.run(for: .seconds(45)) { simulation in
            let agent = simulation.endpoints[0].agent
            largestPairs = max(largestPairs, agent.pairs.count)
            largestTransactions = max(largestTransactions, agent.transactions.entries.count)
            return false
        }
        expectBounded(alice)
        #expect(largestPairs <= IceCandidateLimits.remoteCandidates)
        #expect(largestTransactions <= IceCandidateLimits.remoteCandidates + 1)
        #expect(alice.remoteCandidates.count == IceCandidateLimits.signalledRemoteCandidates)
        #expect(alice.refusedCandidates == 10_000 - (IceCandidateLimits.signalledRemoteCandidates - 1))
        #expect(simulation.bothConnected)
        #expect(simulation.endpoints[0].selected?.remote == selected?.remote)
        #expect(simulation.endpoints[0].states.last == .connected)
    }

    @Test("10,000 candidates trickled before the checks: the peer's real address is learned from its checks and the call connects")
    func floodBeforeConnecting() {
        var simulation = IceSimulation(network: SimulatedNetwork(seed: 22), roles: (.controlling, .controlled),
                                       bases: ([aliceBase], [bobBase]))
        simulation.begin()
        // Bob's own candidate is trickled 30 ms later, past the signalled share: refused too.
        let alice = simulation.endpoints[0].agent
        for index in 0..<10_000 { alice.addRemoteCandidate(floodCandidate(index), now: simulation.now) }
        var largestTransactions = 0
        #expect(simulation.run(for: .seconds(10)) { simulation in
            largestTransactions = max(largestTransactions, simulation.endpoints[0].agent.transactions.entries.count)
            return simulation.bothConnected
        })
        expectBounded(alice)
        #expect(largestTransactions <= IceCandidateLimits.remoteCandidates + 1)
        #expect(alice.refusedCandidates >= 10_000 - IceCandidateLimits.signalledRemoteCandidates + 1)
        // The share left for peer-reflexive candidates took Bob's address from his checks.
        #expect(simulation.endpoints[0].selected?.remote.address == bobBase)
        #expect(simulation.endpoints[0].selected?.remote.kind == .prflx)
    }

    @Test("authenticated checks from 1,000 new addresses: 64 candidates in all, the rest refused without an answer")
    func checksFromEverNewAddresses() throws {
        var random = SeededRandom(seed: 5)
        let credentials = (IceCredentials.random(using: &random), IceCredentials.random(using: &random))
        let agent = IceAgent(role: .controlled, credentials: credentials.0, seed: 1)
        let now = ContinuousClock.now
        agent.startGathering(bases: [aliceBase], now: now)
        agent.setRemoteCredentials(credentials.1, now: now)
        while agent.pollTransmit() != nil {}
        var answered = 0
        for index in 0..<1_000 {
            let request = StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &random),
                                      attributes: [.username("\(credentials.0.ufrag):\(credentials.1.ufrag)"), .priority(1_000),
                                                   .iceControlling(tieBreaker: .max)])
            let bytes = request.encoded(integrityKey: StunCredentials.shortTermKey(password: credentials.0.password))
            _ = agent.handle(datagram: bytes, from: floodCandidate(index).address, on: aliceBase, now: now)
            while let transmit = agent.pollTransmit() {
                let message = try StunMessage(decoding: transmit.bytes)
                if message.type.messageClass == .successResponse { answered += 1 }
            }
        }
        expectBounded(agent)
        #expect(agent.remoteCandidates.count == IceCandidateLimits.remoteCandidates)
        #expect(answered == IceCandidateLimits.remoteCandidates)
        #expect(agent.refusedCandidates == 1_000 - IceCandidateLimits.remoteCandidates)
    }

    @Test("mDNS candidates past the number held while resolving are counted as refused")
    func unresolvedNames() {
        let agent = IceAgent(role: .controlled, credentials: IceCredentials.random(), seed: 1)
        let now = ContinuousClock.now
        agent.startGathering(bases: [aliceBase], now: now)
        for index in 0..<200 {
            var candidate = floodCandidate(index)
            candidate.mdnsHostname = "flood-\(index).local"
            agent.addRemoteCandidate(candidate, now: now)
        }
        #expect(agent.unresolvedRemoteCandidates.count <= IceAgent.maxUnresolvedRemoteCandidates)
        #expect(agent.refusedCandidates > 0)
    }
}

@Suite("ICE candidate limits through a PeerConnection")
struct PeerConnectionCandidateLimitTests {
    @Test("a receiver flooded with 10,000 trickled candidates connects, receives media and counts the limit in its stats")
    func floodedReceiverStillReceives() throws {
        var simulation = try PeerSimulation(network: SimulatedNetwork(seed: 23), seed: 23)
        for index in 0..<10_000 { try simulation.a.addRemoteCandidate(floodCandidate(index).sdpValue, now: simulation.now) }
        #expect(simulation.run(for: .seconds(15)) { $0.bothConnected },
                "\(simulation.failure(of: 0) ?? "") \(simulation.failure(of: 1) ?? "")")
        for sequence in 0..<10 as Range<UInt8> {
            try simulation.b.sendRTP([0x80, 96, 0, sequence, 0, 0, 0, sequence, 0xCA, 0xFE, 0xBA, 0xBE] + [UInt8](repeating: 7, count: 100))
        }
        #expect(simulation.run(for: .seconds(1)) { $0.a.stats.streams.first?.packetsReceived == 10 })
        let stats = simulation.a.stats
        #expect((stats.limitsReached["candidates"] ?? 0) >= 10_000 - IceCandidateLimits.signalledRemoteCandidates)
        #expect(stats.remoteCandidates.count <= IceCandidateLimits.remoteCandidates)
        #expect(stats.candidatePairs.count <= IceCandidateLimits.remoteCandidates)
        #expect(simulation.b.stats.limitsReached["candidates"] == nil)
    }
}
