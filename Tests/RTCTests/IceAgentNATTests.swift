import RTC
import Testing

private func address(_ text: String, _ port: UInt16) -> TransportAddress {
    TransportAddress(ip: IPAddress(text)!, port: port)
}

/// Bob sits behind a NAT: his host address is private, reachable only through the NAT's
/// mapping, which STUN reveals as his server-reflexive candidate.
@Suite("ICE agent behind a NAT")
struct IceAgentNATTests {
    let alice = address("198.51.100.20", 50_000)
    let bobInside = address("10.0.0.2", 40_000)
    let bobOutside = address("203.0.113.1", 40_000)
    let stunServer = address("198.51.100.3", 3_478)

    func simulation(bobUsesStun: Bool, bobRole: IceRole) -> IceSimulation {
        var network = SimulatedNetwork(seed: 21)
        network.natMappings = [bobInside: bobOutside]
        var bobConfiguration = IceConfiguration()
        if bobUsesStun { bobConfiguration.stunServers = [stunServer] }
        var simulation = IceSimulation(network: network, roles: (bobRole == .controlled ? .controlling : .controlled, bobRole),
                                       bases: ([alice], [bobInside]), configurations: (IceConfiguration(), bobConfiguration))
        simulation.stunServer = stunServer
        return simulation
    }

    @Test("with STUN, Bob signals a srflx candidate and his side of the selected pair is that srflx", arguments: [IceRole.controlled, .controlling])
    func selectsServerReflexive(bobRole: IceRole) throws {
        var simulation = simulation(bobUsesStun: true, bobRole: bobRole)
        simulation.begin()
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        let bob = simulation.endpoints[1].agent
        let srflx = try #require(bob.gatheredCandidates.first { $0.kind == .srflx })
        #expect(srflx.address == bobOutside)
        #expect(srflx.relatedAddress == bobInside)
        #expect(bob.selectedPair?.local == srflx)
        #expect("\(srflx)" == "srflx 203.0.113.1:40000 raddr 10.0.0.2:40000")
        #expect(simulation.endpoints[0].agent.selectedPair?.remote.address == bobOutside)
        #expect(simulation.endpoints[0].agent.selectedPair?.remote.kind != .host)
    }

    @Test("without STUN, Bob's side of the selected pair is a peer-reflexive candidate he never signals")
    func learnsLocalPeerReflexive() throws {
        var simulation = simulation(bobUsesStun: false, bobRole: .controlling)
        simulation.begin()
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        let bob = simulation.endpoints[1].agent
        let local = try #require(bob.selectedPair?.local)
        #expect(local.kind == .prflx)
        #expect(local.address == bobOutside)
        #expect(local.relatedAddress == bobInside)
        #expect(bob.gatheredCandidates.map(\.kind) == [.host])
    }
}
