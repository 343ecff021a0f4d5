import RTC
import Testing

private func address(_ text: String, _ port: UInt16) -> TransportAddress {
    TransportAddress(ip: IPAddress(text)!, port: port)
}

private let aliceBases = [address("192.0.2.10", 40_000), address("fd00::10", 40_002)]
private let bobBases = [address("192.0.2.20", 50_000), address("fd00::20", 50_002)]

@Suite("ICE agent over a simulated network")
struct IceAgentTests {
    @Test("controlling and controlled agents connect and select the same pair")
    func connects() {
        var simulation = IceSimulation(network: SimulatedNetwork(seed: 1), roles: (.controlling, .controlled),
                                       bases: (aliceBases, bobBases))
        simulation.begin()
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        let alice = simulation.endpoints[0], bob = simulation.endpoints[1]
        #expect(alice.selected?.remote.address == bob.selected?.local.address)
        #expect(bob.selected?.remote.address == alice.selected?.local.address)
        // Both families are available; browsers and we prefer IPv6 host pairs.
        #expect(alice.selected?.local.address.ip.isIPv6 == true)
        #expect(alice.states.prefix(2) == [.checking, .connected])
        #expect(simulation.elapsed < .seconds(2))
    }

    @Test("connects through 10% loss, jitter that reorders, and duplication (30 seeded runs)")
    func connectsThroughImpairment() {
        let conditions = SimulatedNetwork.Conditions(delay: .milliseconds(40), jitter: .milliseconds(60), loss: 0.10, duplication: 0.05)
        var lost = 0, slowest = Duration.zero
        for seed in 1...30 as ClosedRange<UInt64> {
            var simulation = IceSimulation(network: SimulatedNetwork(conditions: conditions, seed: seed),
                                           roles: (.controlling, .controlled), bases: (aliceBases, bobBases), seed: seed)
            simulation.begin()
            #expect(simulation.run(for: .seconds(20)) { $0.bothConnected }, "seed \(seed)")
            lost += simulation.network.lost
            slowest = max(slowest, simulation.elapsed)
        }
        // The impairment really happened, and retransmissions still connected every run quickly.
        #expect(lost > 10)
        #expect(slowest < .seconds(10))
    }

    @Test("candidates the peer never signals (mDNS-hidden) are learned as peer-reflexive")
    func learnsPeerReflexive() {
        var simulation = IceSimulation(network: SimulatedNetwork(seed: 7), roles: (.controlling, .controlled),
                                       bases: ([aliceBases[0]], [bobBases[0]]))
        simulation.endpoints[0].signalsCandidates = false  // Alice's candidates stay hidden from Bob
        simulation.begin()
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        #expect(simulation.endpoints[1].selected?.remote.kind == .prflx)
        #expect(simulation.endpoints[1].selected?.remote.address == aliceBases[0])
    }

    @Test("a role conflict (both controlling) is resolved by tie-breaker and they connect")
    func resolvesRoleConflict() {
        var simulation = IceSimulation(network: SimulatedNetwork(seed: 9), roles: (.controlling, .controlling),
                                       bases: ([aliceBases[0]], [bobBases[0]]))
        simulation.begin()
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        #expect(Set([simulation.endpoints[0].agent.role, simulation.endpoints[1].agent.role]) == [.controlling, .controlled])
    }

    @Test("a peer that vanishes: disconnected after 5 s, failed by consent expiry after 30 s")
    func consentExpiry() {
        var simulation = IceSimulation(network: SimulatedNetwork(seed: 11), roles: (.controlling, .controlled),
                                       bases: ([aliceBases[0]], [bobBases[0]]))
        simulation.begin()
        #expect(simulation.run(for: .seconds(5)) { $0.bothConnected })
        // Consent keeps a quiet but present peer connected.
        simulation.run(for: .seconds(40))
        #expect(simulation.endpoints[1].agent.state == .connected)

        let vanishedAt = simulation.now
        simulation.network.unreachable.insert(aliceBases[0])
        #expect(simulation.run(for: .seconds(8)) { $0.endpoints[1].agent.state == .disconnected })
        #expect(simulation.run(for: .seconds(40)) { $0.endpoints[1].agent.state == .failed })
        let failedAfter = simulation.now - vanishedAt
        #expect(failedAfter >= .seconds(24) && failedAfter <= .seconds(31))
        #expect(simulation.endpoints[1].failureReason?.contains("consent expired") == true)
        #expect(simulation.endpoints[1].states.suffix(2) == [.disconnected, .failed])
    }

    @Test("with no working path the agent fails after the checking timeout, saying why")
    func failsWithoutPath() {
        var simulation = IceSimulation(network: SimulatedNetwork(seed: 13), roles: (.controlling, .controlled),
                                       bases: ([aliceBases[0]], [bobBases[0]]))
        simulation.network.unreachable.insert(bobBases[0])
        simulation.begin()
        #expect(simulation.run(for: .seconds(40)) { $0.endpoints[0].agent.state == .failed })
        #expect(simulation.endpoints[0].failureReason?.contains("candidate pairs worked") == true)
    }

    @Test("checks with a wrong password or a missing fingerprint are dropped unanswered")
    func dropsUnauthenticatedChecks() throws {
        var random = SeededRandom(seed: 3)
        let credentials = IceCredentials(ufrag: "bobu", password: "bob-password-0123456789")
        let agent = IceAgent(role: .controlled, credentials: credentials, seed: 1)
        let now = ContinuousClock.now
        agent.setRemoteCredentials(IceCredentials(ufrag: "aliu", password: "alice-password-01234567"), now: now)
        agent.startGathering(bases: [bobBases[0]], now: now)
        while agent.pollTransmit() != nil {}

        func check(key: String, fingerprint: Bool, username: String = "bobu:aliu") -> [UInt8] {
            StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &random),
                        attributes: [.username(username), .priority(1), .iceControlling(tieBreaker: 5)])
                .encoded(integrityKey: StunCredentials.shortTermKey(password: key), fingerprint: fingerprint)
        }
        let from = aliceBases[0]
        for bad in [check(key: "wrong-password-000000000", fingerprint: true),
                    check(key: credentials.password, fingerprint: false),
                    check(key: credentials.password, fingerprint: true, username: "other:aliu")] {
            guard case .dropped = agent.handle(datagram: bad, from: from, on: bobBases[0], now: now) else {
                Issue.record("an unauthenticated check was accepted")
                continue
            }
            #expect(agent.pollTransmit() == nil)
        }
        #expect(agent.droppedStun == 3)

        #expect(agent.handle(datagram: check(key: credentials.password, fingerprint: true), from: from, on: bobBases[0], now: now) == .consumed)
        let response = try StunMessage(decoding: try #require(agent.pollTransmit()).bytes)
        #expect(response.type == StunMessageType(method: .binding, class: .successResponse))
        #expect(response.xorMappedAddress == from)
        #expect(response.hasValidIntegrity(key: StunCredentials.shortTermKey(password: credentials.password)))
    }

    @Test("an ICE restart with new remote credentials starts over and reconnects")
    func restart() {
        var simulation = IceSimulation(network: SimulatedNetwork(seed: 17), roles: (.controlling, .controlled),
                                       bases: ([aliceBases[0]], [bobBases[0]]))
        simulation.begin()
        #expect(simulation.run(for: .seconds(5)) { $0.bothConnected })
        // Bob restarts (takes new credentials when told of Alice's new ones); Alice learns Bob's.
        var random = SeededRandom(seed: 99)
        let aliceNew = IceCredentials.random(using: &random)
        simulation.endpoints[1].agent.setRemoteCredentials(aliceNew, now: simulation.now)
        #expect(simulation.endpoints[1].agent.state == .checking)
        let bobNew = simulation.endpoints[1].agent.localCredentials
        // Alice adopts her new credentials by restarting towards Bob's new ones.
        let alice = IceAgent(role: .controlling, credentials: aliceNew, seed: 5)
        alice.setRemoteCredentials(bobNew, now: simulation.now)
        alice.startGathering(bases: [aliceBases[0]], now: simulation.now)
        simulation.endpoints[0].agent = alice
        simulation.endpoints[0].states = []
        let connected = simulation.run(for: .seconds(10)) { $0.bothConnected }
        #expect(connected, "\(simulation.endpoints.map { ($0.agent.state, $0.states, $0.failureReason ?? "") })")
    }
}
