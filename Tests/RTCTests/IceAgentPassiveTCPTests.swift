import RTC
import Testing

private func address(_ text: String, _ port: UInt16) -> TransportAddress {
    TransportAddress(ip: IPAddress(text)!, port: port)
}

/// The bot's side of ICE-TCP (RFC 6544) as Chromium uses it when UDP is blocked: a passive TCP
/// host candidate the browser connects to; the browser's check over the connection reveals its
/// side as peer-reflexive, the bot answers with a triggered check on the same connection, and
/// the browser's nomination selects the TCP pair. The agent never opens connections: no check
/// leaves a TCP base but towards a connection that checked us, and TCP never pairs with UDP.
@Suite("ICE agent with a passive TCP candidate")
struct IceAgentPassiveTCPTests {
    private static let bot = IceCredentials(ufrag: "botu", password: "bot-password-0123456789ab")
    private static let browser = IceCredentials(ufrag: "brwu", password: "browser-password-01234567")
    private static let udpBase = address("192.0.2.20", 7_882)
    private static let tcpBase = address("192.0.2.20", 7_881)
    /// The browser's UDP host candidate, and the source of its TCP connection to us.
    private static let browserUDP = address("192.0.2.10", 40_000)
    private static let browserTCP = address("192.0.2.10", 51_234)

    private let start = ContinuousClock.now

    /// A controlled agent (the browser offered) gathering on one UDP and one TCP base.
    private func makeAgent() -> IceAgent {
        let agent = IceAgent(role: .controlled, credentials: Self.bot, seed: 2)
        agent.startGathering(bases: [Self.udpBase], passiveTCPBases: [Self.tcpBase], now: start)
        agent.setRemoteCredentials(Self.browser, now: start)
        return agent
    }

    /// The browser's check, as it arrives on the connection (frames already removed).
    private func check(useCandidate: Bool = false, priority: UInt32 = 1_518_214_911) -> [UInt8] {
        var attributes: [StunAttribute] = [.username("botu:brwu"), .priority(priority), .iceControlling(tieBreaker: UInt64.max)]
        if useCandidate { attributes.append(.useCandidate) }
        var random = SystemRandomNumberGenerator()
        return StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &random),
                           attributes: attributes)
            .encoded(integrityKey: StunCredentials.shortTermKey(password: Self.bot.password))
    }

    /// Runs the agent's timers for `duration`, returning everything it sent.
    private func run(_ agent: IceAgent, from: ContinuousClock.Instant, for duration: Duration) -> [IceTransmit] {
        var sent: [IceTransmit] = []
        var now = from
        while now < from + duration {
            agent.handleTimeout(now: now)
            while let transmit = agent.pollTransmit() { sent.append(transmit) }
            now += .milliseconds(10)
        }
        return sent
    }

    @Test("gathers a passive TCP host candidate on the TCP base, below the UDP one, announced like it")
    func gathers() throws {
        var configuration = IceConfiguration()
        configuration.announcedAddresses = [AnnouncedAddress("203.0.113.5")!]
        let agent = IceAgent(role: .controlled, credentials: Self.bot, configuration: configuration, seed: 2)
        agent.startGathering(bases: [Self.udpBase], passiveTCPBases: [Self.tcpBase], now: start)
        let gathered = agent.gatheredCandidates
        #expect(gathered.count == 2)
        let udp = try #require(gathered.first { !$0.isTCP })
        let tcp = try #require(gathered.first { $0.isTCP })
        #expect(tcp.tcpType == .passive)
        #expect(tcp.kind == .host)
        #expect(tcp.address == address("203.0.113.5", 7_881))
        #expect(tcp.priority < udp.priority)
        #expect(tcp.sdpValue.contains(" tcp \(tcp.priority) 203.0.113.5 7881 typ host tcptype passive"))
        // Both trickled, then end of candidates.
        var events: [IceEvent] = []
        while let event = agent.pollEvent() { events.append(event) }
        #expect(events == [.localCandidate(udp), .localCandidate(tcp), .gatheringComplete])
    }

    @Test("signalled TCP candidates pair with nothing, and no check ever leaves the TCP base on its own")
    func initiatesNothingOverTCP() throws {
        let agent = makeAgent()
        agent.addRemoteCandidate(try Candidate(sdpValue: "candidate:1 1 udp 2122260223 192.0.2.10 40000 typ host"), now: start)
        agent.addRemoteCandidate(try Candidate(sdpValue: "candidate:2 1 tcp 1518214911 192.0.2.10 9 typ host tcptype active"), now: start)
        agent.addRemoteCandidate(try Candidate(sdpValue: "candidate:3 1 tcp 1518214911 192.0.2.10 7000 typ host tcptype passive"), now: start)
        let sent = run(agent, from: start, for: .seconds(5))
        #expect(!sent.isEmpty)
        #expect(sent.allSatisfy { $0.base == Self.udpBase && $0.destination == Self.browserUDP })
        #expect(agent.candidatePairSummaries.count == 1)
        #expect(agent.knownRemoteCandidates.allSatisfy { !$0.isTCP })
    }

    @Test("a check over a connection: peer-reflexive TCP remote, answered and checked back on that connection, nominated")
    func answersAndChecksBack() throws {
        let agent = makeAgent()
        while agent.pollTransmit() != nil {}
        let inbound = agent.handle(datagram: check(useCandidate: true), from: Self.browserTCP, on: Self.tcpBase, now: start)
        #expect(inbound == .consumed)

        // The answer goes back on the connection.
        let answer = try #require(agent.pollTransmit())
        #expect(answer.base == Self.tcpBase)
        #expect(answer.destination == Self.browserTCP)
        #expect(try StunMessage(decoding: answer.bytes).xorMappedAddress == Self.browserTCP)

        // The browser's side is learned as an active TCP peer-reflexive candidate.
        let remote = try #require(agent.knownRemoteCandidates.first)
        #expect(remote.kind == .prflx)
        #expect(remote.tcpType == .active)
        #expect(remote.address == Self.browserTCP)
        #expect(remote.priority == 1_518_214_911)

        // The triggered check goes on the same connection, and only there.
        let sent = run(agent, from: start, for: .milliseconds(40))
        let triggered = try #require(sent.first)
        #expect(sent.allSatisfy { $0.base == Self.tcpBase && $0.destination == Self.browserTCP })
        let request = try StunMessage(decoding: triggered.bytes)
        #expect(request.type == StunMessageType(method: .binding, class: .request))
        #expect(request.username == "brwu:botu")

        // The browser answers it; its USE-CANDIDATE seen before makes the TCP pair selected.
        let success = StunMessage(type: StunMessageType(method: .binding, class: .successResponse), transactionID: request.transactionID,
                                  attributes: [.xorMappedAddress(Self.tcpBase)])
            .encoded(integrityKey: StunCredentials.shortTermKey(password: Self.browser.password))
        #expect(agent.handle(datagram: success, from: Self.browserTCP, on: Self.tcpBase, now: start + .milliseconds(50)) == .consumed)
        let selected = try #require(agent.selectedPair)
        #expect(selected.local.tcpType == .passive)
        #expect(selected.remote.tcpType == .active)
        #expect(agent.state == .connected)
        #expect("\(selected.local) <-> \(selected.remote)" == "host 192.0.2.20:7881 tcp passive <-> prflx 192.0.2.10:51234 tcp active")

        // Application data (DTLS) follows the selected pair onto the connection.
        let dtls = try #require(agent.transmit(applicationData: [22, 254, 253]))
        #expect(dtls.base == Self.tcpBase)
        #expect(dtls.destination == Self.browserTCP)
    }

    @Test("TCP and UDP never pair across: a UDP remote with the TCP base, a TCP remote with the UDP base")
    func noCrossPairs() throws {
        let agent = makeAgent()
        agent.addRemoteCandidate(try Candidate(sdpValue: "candidate:1 1 udp 2122260223 192.0.2.10 40000 typ host"), now: start)
        _ = agent.handle(datagram: check(), from: Self.browserTCP, on: Self.tcpBase, now: start)
        // A UDP check from the same address and port as the connection is another candidate.
        _ = agent.handle(datagram: check(priority: 1_853_824_767), from: Self.browserTCP, on: Self.udpBase, now: start)
        let pairs = agent.candidatePairSummaries
        #expect(pairs.count == 3, "\(pairs)")
        for pair in pairs {
            let arrow = try #require(pair.firstRange(of: " <-> "))
            let (local, remote) = (pair[..<arrow.lowerBound], pair[arrow.upperBound...])
            #expect(local.contains(" tcp ") == remote.contains(" tcp "), "\(pair)")
        }
        #expect(agent.knownRemoteCandidates.filter { $0.address == Self.browserTCP }.map(\.isTCP).sorted { !$0 && $1 } == [false, true])
    }

    @Test("the selected pair's connection closing fails the call at once, with the reason")
    func connectionClosed() throws {
        let agent = makeAgent()
        _ = agent.handle(datagram: check(useCandidate: true), from: Self.browserTCP, on: Self.tcpBase, now: start)
        let sent = run(agent, from: start, for: .milliseconds(20))
        let request = try #require(sent.compactMap { try? StunMessage(decoding: $0.bytes) }.first { $0.type.messageClass == .request })
        let success = StunMessage(type: StunMessageType(method: .binding, class: .successResponse), transactionID: request.transactionID,
                                  attributes: [.xorMappedAddress(Self.tcpBase)])
            .encoded(integrityKey: StunCredentials.shortTermKey(password: Self.browser.password))
        _ = agent.handle(datagram: success, from: Self.browserTCP, on: Self.tcpBase, now: start + .milliseconds(30))
        #expect(agent.state == .connected)
        while agent.pollEvent() != nil {}
        agent.passiveTCPConnectionClosed(from: Self.browserTCP, on: Self.tcpBase, reason: "the peer closed it", now: start + .seconds(1))
        #expect(agent.state == .failed)
        var reason: String?
        while let event = agent.pollEvent() { if case .stateChanged(.failed, let why) = event { reason = why } }
        #expect(reason == "the ICE-TCP connection from 192.0.2.10:51234 closed: the peer closed it")
    }
}
