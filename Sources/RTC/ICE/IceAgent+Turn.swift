/// The agent's side of its STUN and TURN servers: server-reflexive queries, and what the
/// `TurnClient`'s outcomes mean for candidates, pairs and the connection.
extension IceAgent {
    func startAllocation(server: TurnServer, base: TransportAddress, now: ContinuousClock.Instant) {
        pendingGatherings += 1
        turn.allocate(on: server, from: base, now: now, random: &random, outbox: &outbox)
    }

    func queryServerReflexive(base: TransportAddress, server: TransportAddress, now: ContinuousClock.Instant) {
        let request = StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &random))
        let transmit = IceTransmit(base: base, destination: server, bytes: request.encoded())
        transactions.start(request.transactionID, purpose: .serverReflexive(base: base), transmit: transmit, now: now,
                           rto: .milliseconds(500), maxRTO: .seconds(2), maxTransmissions: 4)
        outbox.append(transmit)
        pendingGatherings += 1
    }

    /// A datagram from a TURN server: a response to us, or a Data indication carrying a peer's
    /// datagram (a connectivity check, DTLS or SRTP) that came in through the relay.
    func handleFromTurnServer(_ bytes: [UInt8], allocation index: Int, now: ContinuousClock.Instant) -> IceInbound {
        let message: StunMessage
        do {
            message = try StunMessage(decoding: bytes)
        } catch {
            droppedStun += 1
            return .dropped("from TURN server: \(error)")
        }
        guard message.type == StunMessageType(method: .data, class: .indication) else {
            var outcomes: [TurnClient.Outcome] = []
            let result = turn.handle(response: message, now: now, random: &random, outbox: &outbox, outcomes: &outcomes)
            if case .dropped = result { droppedStun += 1 }
            apply(outcomes, now: now)
            return result
        }
        guard let peer = message.first({ if case .xorPeerAddress(let value) = $0 { value } else { nil } }),
              let data = message.first({ if case .data(let value) = $0 { value } else { nil } }), let first = data.first else {
            return .dropped("Data indication without peer or data")
        }
        // The allocation's base and server read in place: a relayed call passes every datagram here.
        let base = turn.allocations[index].base
        if DatagramKind(firstByte: first) == .stun {
            let server = turn.allocations[index].server
            let relayIndex = localCandidates.firstIndex { $0.candidate.kind == .relay && $0.turnServer == server && $0.base == base }
            return handleStun(data, from: peer, localIndex: relayIndex, base: base, now: now)
        }
        guard admitsRelayedApplicationData(from: peer, allocation: index) else {
            return .dropped("relayed DTLS or SRTP from \(peer), a path no ICE check validated")
        }
        noteTraffic(from: peer, now: now)
        return .relayedApplication(data, from: peer)
    }

    /// Acts on what the TURN client reports.
    func apply(_ outcomes: [TurnClient.Outcome], now: ContinuousClock.Instant) {
        for outcome in outcomes {
            switch outcome {
            case .relayed(let index, let relayed, let mapped):
                let allocation = turn.allocations[index]
                let relay = Candidate(foundation: "r\(index)", priority: Candidate.priority(kind: .relay, localPreference: 65_000 - UInt32(index)),
                                      address: relayed, kind: .relay, relatedAddress: mapped, ufrag: localCredentials.ufrag)
                addLocalCandidate(LocalCandidate(candidate: relay, base: allocation.base, turnServer: allocation.server))
                if !configuration.relayOnly, let mapped, mapped != allocation.base {
                    addServerReflexive(mapped, base: allocation.base)
                }
                pendingGatherings -= 1
                finishGatheringIfDone()
                for remote in remoteCandidates {
                    turn.requestPermission(allocation: index, for: remote.address.ip, now: now, random: &random, outbox: &outbox)
                }
            case .allocationFailed(_, let reason):
                // No relay from this allocation: gathering goes on without it, and relay-only
                // ICE fails once no allocation is left.
                events.append(.relayUnavailable(reason: reason))
                pendingGatherings -= 1
                finishGatheringIfDone()
                if configuration.relayOnly, turn.allFailed { setState(.failed, reason: reason) }
            case .refreshFailed(let reason):
                events.append(.relayUnavailable(reason: reason))
            case .relayLost(let relayed, let reason):
                // Its pairs fail; when media flows through it, ICE fails at once with the reason
                // rather than waiting out consent.
                events.append(.relayUnavailable(reason: reason))
                let relayCandidates = Set(localCandidates.indices.filter {
                    localCandidates[$0].candidate.kind == .relay && localCandidates[$0].candidate.address == relayed
                })
                for pairIndex in pairs.indices where relayCandidates.contains(pairs[pairIndex].local) {
                    pairs[pairIndex].state = .failed
                }
                triggeredChecks.removeAll { $0 < pairs.count && relayCandidates.contains(pairs[$0].local) }
                if let selectedPairIndex, relayCandidates.contains(pairs[selectedPairIndex].local) {
                    setState(.failed, reason: reason)
                } else if configuration.relayOnly, turn.allFailed {
                    setState(.failed, reason: reason)
                }
            case .permissionInstalled:
                if nextCheckAt == nil { nextCheckAt = now }
            }
        }
    }

    /// The driver's stream connection to a TURN server closed, or never opened (refused, TLS
    /// verification failed): the allocation on it is gone, and so is its relay candidate.
    public func turnConnectionClosed(to server: TransportAddress, over transport: TurnTransport, on base: TransportAddress,
                                     reason: String, now: ContinuousClock.Instant) {
        advance(to: now)
        var outcomes: [TurnClient.Outcome] = []
        turn.connectionClosed(to: server, over: transport, on: base, reason: reason, outcomes: &outcomes)
        apply(outcomes, now: now)
    }

    func handleTurnTimeout(now: ContinuousClock.Instant) {
        var outcomes: [TurnClient.Outcome] = []
        turn.handleTimeout(now: now, random: &random, outbox: &outbox, outcomes: &outcomes)
        apply(outcomes, now: now)
    }
}
