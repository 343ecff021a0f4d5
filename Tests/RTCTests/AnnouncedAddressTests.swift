import RTC
import Testing

private func address(_ text: String, _ port: UInt16) -> TransportAddress {
    TransportAddress(ip: IPAddress(text)!, port: port)
}

/// `--public-ip`: Bob sits behind a 1:1 NAT that forwards his port, and announces the NAT's
/// outside address as his host candidate, as a bot in a container or on a cloud node does.
@Suite("Announced public addresses")
struct AnnouncedAddressTests {
    let alice = address("198.51.100.20", 50_000)
    let bobInside = address("10.0.0.2", 7_882)
    let bobOutside = address("203.0.113.1", 7_882)

    @Test("PUBLIC and PUBLIC/PRIVATE parse, for IPv4 and IPv6; anything else does not")
    func parses() {
        #expect(AnnouncedAddress("203.0.113.1") == AnnouncedAddress(publicAddress: IPAddress("203.0.113.1")!))
        #expect(AnnouncedAddress("203.0.113.1/10.0.0.2")
            == AnnouncedAddress(publicAddress: IPAddress("203.0.113.1")!, privateAddress: IPAddress("10.0.0.2")!))
        #expect(AnnouncedAddress("2001:db8::1/fd00::2")?.privateAddress == IPAddress("fd00::2"))
        #expect(AnnouncedAddress("2001:db8::1")?.description == "2001:db8::1")
        for bad in ["", "example.com", "203.0.113.1/", "203.0.113.1/fd00::2", "1.2.3.4/5.6.7.8/9.9.9.9", "203.0.113.1:7882"] {
            #expect(AnnouncedAddress(bad) == nil, "\(bad)")
        }
    }

    @Test("host candidates announce the public address with the socket's port; loopback and other families keep their own")
    func announcesInPlaceOfTheInterface() {
        var configuration = IceConfiguration()
        configuration.announcedAddresses = [AnnouncedAddress("203.0.113.1")!]
        let agent = IceAgent(role: .controlled, credentials: IceCredentials(ufrag: "bob1", password: "bob-password-0123456789"),
                             configuration: configuration, seed: 1)
        agent.startGathering(bases: [bobInside, address("127.0.0.1", 7_882), address("fd00::2", 7_882)], now: .now)
        #expect(agent.gatheredCandidates.map(\.address) == [bobOutside, address("127.0.0.1", 7_882), address("fd00::2", 7_882)])
        #expect(agent.gatheredCandidates.allSatisfy { $0.kind == .host })
    }

    @Test("a mapping for one interface leaves the others alone, and wins over a family-wide address")
    func mappingPerInterface() {
        var configuration = IceConfiguration()
        configuration.announcedAddresses = [AnnouncedAddress("198.51.100.99")!, AnnouncedAddress("203.0.113.1/10.0.0.2")!]
        let agent = IceAgent(role: .controlled, credentials: IceCredentials(ufrag: "bob1", password: "bob-password-0123456789"),
                             configuration: configuration, seed: 1)
        agent.startGathering(bases: [bobInside, address("10.1.0.2", 7_882)], now: .now)
        #expect(agent.gatheredCandidates.map(\.address) == [bobOutside, address("198.51.100.99", 7_882)])
    }

    @Test("two interfaces under one public address are signalled once, and both still answer checks")
    func oneAddressForTwoInterfaces() {
        var configuration = IceConfiguration()
        configuration.announcedAddresses = [AnnouncedAddress("203.0.113.1")!]
        let agent = IceAgent(role: .controlled, credentials: IceCredentials(ufrag: "bob1", password: "bob-password-0123456789"),
                             configuration: configuration, seed: 1)
        agent.startGathering(bases: [bobInside, address("10.1.0.2", 7_882)], now: .now)
        var signalled: [Candidate] = []
        while let event = agent.pollEvent() {
            if case .localCandidate(let candidate) = event { signalled.append(candidate) }
        }
        #expect(signalled.map(\.address) == [bobOutside])
    }

    @Test("behind a forwarded port, without STUN, the peer reaches the announced host candidate")
    func peerConnectsToTheAnnouncedAddress() throws {
        var network = SimulatedNetwork(seed: 21)
        network.natMappings = [bobInside: bobOutside]
        var bobConfiguration = IceConfiguration()
        bobConfiguration.announcedAddresses = [AnnouncedAddress("203.0.113.1/10.0.0.2")!]
        var simulation = IceSimulation(network: network, roles: (.controlling, .controlled),
                                       bases: ([alice], [bobInside]), configurations: (IceConfiguration(), bobConfiguration))
        simulation.begin()
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        let remoteAtAlice = try #require(simulation.endpoints[0].agent.selectedPair?.remote)
        // Signalled, not learned from Bob's checks: Alice paired the address Bob announced.
        #expect(remoteAtAlice.kind == .host)
        #expect(remoteAtAlice.address == bobOutside)
        #expect(simulation.endpoints[1].agent.gatheredCandidates.map(\.address) == [bobOutside])
    }
}
