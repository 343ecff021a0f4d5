import RTC
import Testing

/// `IceAgent.summary` is kept between calls: it must still say what a summary made afresh says
/// after every change ICE makes — a candidate gathered or signalled, a pair checked, one
/// selected.
@Suite("ICE summary")
struct IceSummaryTests {
    private static let bot = IceCredentials(ufrag: "botu", password: "bot-password-0123456789ab")
    private static let peer = IceCredentials(ufrag: "peru", password: "peer-password-0123456789ab")
    private static let base = TransportAddress(ip: IPAddress("192.0.2.20")!, port: 7_882)

    /// The summary made afresh from the agent, as `summary` did before it was kept.
    private func fresh(_ agent: IceAgent) -> IceSummary {
        IceSummary(selectedPair: agent.selectedPair.map { "\($0.local) <-> \($0.remote)" },
                   localCandidates: agent.gatheredCandidates.map(\.description),
                   remoteCandidates: agent.knownRemoteCandidates.map(\.description),
                   candidatePairs: agent.candidatePairSummaries)
    }

    /// The peer's answer to each of the agent's checks, so its pair succeeds.
    private func answer(_ agent: IceAgent, _ transmit: IceTransmit, now: ContinuousClock.Instant) throws {
        let request = try StunMessage(decoding: transmit.bytes)
        let response = StunMessage(type: StunMessageType(method: .binding, class: .successResponse),
                                   transactionID: request.transactionID,
                                   attributes: [.xorMappedAddress(transmit.base)])
            .encoded(integrityKey: StunCredentials.shortTermKey(password: Self.peer.password))
        _ = agent.handle(datagram: response, from: transmit.destination, on: transmit.base, now: now)
    }

    @Test("follows every change: gathered, signalled, checked, selected; unchanged in between")
    func followsEveryChange() throws {
        let start = ContinuousClock.now
        let agent = IceAgent(role: .controlling, credentials: Self.bot, seed: 7)
        #expect(agent.summary == IceSummary())

        agent.startGathering(bases: [Self.base], now: start)
        agent.setRemoteCredentials(Self.peer, now: start)
        let gathered = agent.summary
        #expect(gathered.localCandidates.count == 1)
        #expect(gathered.candidatePairs.isEmpty)
        #expect(gathered == fresh(agent))
        #expect(agent.summary == gathered)

        agent.addRemoteCandidate(try Candidate(sdpValue: "candidate:1 1 udp 2122260223 192.0.2.10 40000 typ host"), now: start)
        let paired = agent.summary
        #expect(paired.remoteCandidates.count == 1)
        #expect(paired.candidatePairs.count == 1)
        #expect(paired.candidatePairs[0].hasPrefix("waiting "))
        #expect(paired == fresh(agent))

        // The first check leaves: the pair is in progress.
        var now = start
        var check: IceTransmit?
        while check == nil, now < start + .seconds(2) {
            agent.handleTimeout(now: now)
            check = agent.pollTransmit()
            now += .milliseconds(10)
        }
        let sent = try #require(check)
        let checking = agent.summary
        #expect(checking.candidatePairs[0].hasPrefix("inProgress "))
        #expect(checking == fresh(agent))

        // Answered: the pair succeeds and, nominated by us (controlling), is selected.
        try answer(agent, sent, now: now)
        for _ in 0..<200 where agent.selectedPair == nil {
            now += .milliseconds(10)
            agent.handleTimeout(now: now)
            while let transmit = agent.pollTransmit() {
                if (try? StunMessage(decoding: transmit.bytes))?.type.messageClass == .request { try answer(agent, transmit, now: now) }
            }
        }
        let selected = agent.summary
        #expect(selected.selectedPair == "\(agent.selectedPair!.local) <-> \(agent.selectedPair!.remote)")
        #expect(selected.candidatePairs[0].contains(" selected "))
        #expect(selected == fresh(agent))
        #expect(selected != checking)
    }
}
