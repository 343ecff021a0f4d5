import RTC
import Testing

private func address(_ text: String, _ port: UInt16) -> TransportAddress {
    TransportAddress(ip: IPAddress(text)!, port: port)
}

@Suite("ICE agent with remote mDNS candidates")
struct IceAgentMulticastDNSTests {
    let bases = [address("10.213.252.1", 40_000), address("fd00::1", 40_002), address("127.0.0.1", 40_004)]
    var remote: String { chromiumCandidate(port: 59_722) }

    /// A host candidate line as Chromium trickles it, hidden behind its mDNS name.
    func chromiumCandidate(port: Int) -> String {
        "candidate:674888979 1 udp 2113937151 \(ChromiumMulticastDNS.name) \(port) typ host generation 0 ufrag sQKG network-cost 999"
    }

    func agent(relayOnly: Bool = false) -> (IceAgent, ContinuousClock.Instant) {
        var configuration = IceConfiguration()
        configuration.relayOnly = relayOnly
        let agent = IceAgent(role: .controlling, credentials: IceCredentials(ufrag: "bott", password: "bot-password-0123456789"),
                             configuration: configuration, seed: 3)
        let now = ContinuousClock.now
        agent.setRemoteCredentials(IceCredentials(ufrag: "sQKG", password: "chromium-password-012345"), now: now)
        agent.startGathering(bases: bases, now: now)
        while agent.pollTransmit() != nil {}
        return (agent, now)
    }

    @Test("a .local candidate is asked for on the IPv4 non-loopback base, then checked at the address the answer gives")
    func resolvesAndChecks() throws {
        let (agent, now) = agent()
        agent.addRemoteCandidate(try Candidate(sdpValue: remote), now: now)
        var transmits: [IceTransmit] = []
        while let transmit = agent.pollTransmit() { transmits.append(transmit) }
        #expect(transmits.map(\.base) == [bases[0]])
        #expect(transmits.map(\.destination) == [MulticastDNSResolver.ipv4Group])
        #expect(transmits.map(\.bytes) == [ChromiumMulticastDNS.query])
        #expect(agent.knownRemoteCandidates.isEmpty)

        agent.handle(multicastDNS: ChromiumMulticastDNS.answer, now: now)
        let resolved = try #require(agent.knownRemoteCandidates.first)
        #expect(resolved.address == TransportAddress(ip: ChromiumMulticastDNS.address, port: 59_722))
        #expect("\(resolved)" == "host 10.213.252.2:59722 (\(ChromiumMulticastDNS.name))")
        agent.handleTimeout(now: now + .milliseconds(50))
        var checks: [IceTransmit] = []
        while let transmit = agent.pollTransmit() { checks.append(transmit) }
        #expect(checks.map(\.destination) == [resolved.address])
        #expect(checks.map(\.base) == [bases[0]])
    }

    @Test("a name already resolved is not asked for again: a new candidate with it is paired at once")
    func remembersNames() throws {
        let (agent, now) = agent()
        agent.addRemoteCandidate(try Candidate(sdpValue: remote), now: now)
        agent.handle(multicastDNS: ChromiumMulticastDNS.answer, now: now)
        while agent.pollTransmit() != nil {}
        agent.addRemoteCandidate(try Candidate(sdpValue: chromiumCandidate(port: 60_823)), now: now)
        #expect(agent.pollTransmit() == nil)
        #expect(agent.knownRemoteCandidates.map(\.address.port) == [59_722, 60_823])
        #expect(agent.knownRemoteCandidates.allSatisfy { $0.address.ip == ChromiumMulticastDNS.address })
    }

    @Test("a unicast answer from port 5353 on a base resolves too (RFC 6762 §6.7 responders)")
    func acceptsUnicastAnswer() throws {
        let (agent, now) = agent()
        agent.addRemoteCandidate(try Candidate(sdpValue: remote), now: now)
        #expect(agent.handle(datagram: ChromiumMulticastDNS.answer, from: address("10.213.252.2", 5_353), on: bases[0], now: now) == .consumed)
        #expect(agent.knownRemoteCandidates.map(\.address.ip) == [ChromiumMulticastDNS.address])
    }

    @Test("an mDNS name learned first as peer-reflexive becomes host when it resolves, keeping its pairs")
    func upgradesPeerReflexive() throws {
        let (agent, now) = agent()
        agent.addRemoteCandidate(try Candidate(sdpValue: remote), now: now)
        let chromium = TransportAddress(ip: ChromiumMulticastDNS.address, port: 59_722)
        var random = SeededRandom(seed: 1)
        let check = StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &random),
                                attributes: [.username("bott:sQKG"), .priority(1_845_501_695), .iceControlled(tieBreaker: 1)])
            .encoded(integrityKey: StunCredentials.shortTermKey(password: "bot-password-0123456789"))
        #expect(agent.handle(datagram: check, from: chromium, on: bases[0], now: now) == .consumed)
        #expect(agent.knownRemoteCandidates.map(\.kind) == [.prflx])
        agent.handle(multicastDNS: ChromiumMulticastDNS.answer, now: now)
        #expect(agent.knownRemoteCandidates.map(\.kind) == [.host])
        #expect(agent.knownRemoteCandidates.first?.mdnsHostname == ChromiumMulticastDNS.name)
    }

    @Test("nothing is asked in relay-only mode, and unanswered names stop being asked for")
    func staysQuiet() throws {
        let (relayOnly, now) = agent(relayOnly: true)
        relayOnly.addRemoteCandidate(try Candidate(sdpValue: remote), now: now)
        #expect(relayOnly.pollTransmit() == nil)

        let (agent, start) = agent()
        agent.addRemoteCandidate(try Candidate(sdpValue: remote), now: start)
        var queries = 0
        var clock = start
        for _ in 0..<1_000 {
            guard let next = agent.nextTimeout, next - start < .seconds(20) else { break }
            clock = max(clock + .milliseconds(1), next)
            agent.handleTimeout(now: clock)
            while let transmit = agent.pollTransmit() {
                if transmit.destination == MulticastDNSResolver.ipv4Group { queries += 1 }
            }
        }
        #expect(queries == 3)
    }
}
