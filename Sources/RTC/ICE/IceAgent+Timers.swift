extension IceAgent {
    /// When the driver should call `handleTimeout` next. Asked after every read batch, so it
    /// builds no collections: it allocates nothing.
    public var nextTimeout: ContinuousClock.Instant? {
        guard state != .closed, state != .failed else { return nil }
        var earliest: ContinuousClock.Instant?
        func consider(_ deadline: ContinuousClock.Instant?) {
            guard let deadline else { return }
            if earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        consider(nextCheckAt)
        consider(transactions.nextDeadline)
        if selectedPairIndex != nil {
            consider(consent.nextTimeout(timeout: configuration.consentTimeout, disconnectedAfter: configuration.disconnectedAfter,
                                         connected: state == .connected))
        } else if state == .checking {
            consider(checkingSince.map { $0 + configuration.checkingTimeout })
        }
        // The nomination grace period is a deadline only while it lies ahead; once it has passed,
        // nomination is retried on every other wake-up (a past deadline would spin the driver).
        if role == .controlling, selectedPairIndex == nil, let firstValidAt, let lastTime,
           firstValidAt + configuration.nominationDelay > lastTime {
            consider(firstValidAt + configuration.nominationDelay)
        }
        consider(turn.nextTimeout)
        consider(multicastDNS.nextTimeout)
        return earliest
    }

    public func handleTimeout(now: ContinuousClock.Instant) {
        guard state != .closed, state != .failed else { return }
        advance(to: now)
        retransmit(now: now)
        sendNextCheck(now: now)
        nominateIfControlling(now: now)
        refreshConsent(now: now)
        handleTurnTimeout(now: now)
        sendDueMulticastDNSQueries(now: now)
        checkLiveness(now: now)
    }

    private func retransmit(now: ContinuousClock.Instant) {
        let (resend, expired) = transactions.due(at: now)
        outbox.append(contentsOf: resend)
        for purpose in expired {
            switch purpose {
            case .check(let pairIndex, _):
                if pairIndex < pairs.count { pairs[pairIndex].state = .failed }
            case .consent:
                break  // consent expiry is judged by time since the last answer
            case .serverReflexive:
                pendingGatherings -= 1
                finishGatheringIfDone()
            }
        }
    }

    /// One check per pacing interval: triggered checks first, then the best waiting pair.
    private func sendNextCheck(now: ContinuousClock.Instant) {
        guard let nextCheckAt, nextCheckAt <= now else { return }
        guard remoteCredentials != nil else {
            // The peer checked us before its description arrived: checks resume when it does.
            self.nextCheckAt = nil
            return
        }
        var chosen: Int?
        while !triggeredChecks.isEmpty {
            let candidate = triggeredChecks.removeFirst()
            if candidate < pairs.count, pairs[candidate].state != .inProgress, canSendCheck(on: candidate) {
                chosen = candidate
                break
            }
        }
        if chosen == nil {
            chosen = pairs.indices
                .filter { pairs[$0].state == .waiting && canSendCheck(on: $0) }
                .max { pairs[$0].priority < pairs[$1].priority }
        }
        if let chosen {
            sendCheck(on: chosen, nominating: false, now: now)
            self.nextCheckAt = now + configuration.checkPacing
        } else {
            let stillWaiting = pairs.contains { $0.state == .waiting } || !triggeredChecks.isEmpty
            self.nextCheckAt = stillWaiting ? now + configuration.checkPacing : nil
        }
    }

    /// Relayed checks need a TURN permission for the peer's address first.
    private func canSendCheck(on pairIndex: Int) -> Bool {
        let local = localCandidates[pairs[pairIndex].local]
        guard local.candidate.kind == .relay else { return true }
        return turn.permits(relayed: local.candidate.address, to: remoteCandidates[pairs[pairIndex].remote].address.ip)
    }

    func sendCheck(on pairIndex: Int, nominating: Bool, now: ContinuousClock.Instant) {
        guard let remoteCredentials else { return }
        let pair = pairs[pairIndex]
        let local = localCandidates[pair.local]
        let remote = remoteCandidates[pair.remote]
        var attributes: [StunAttribute] = [
            .username("\(remoteCredentials.ufrag):\(localCredentials.ufrag)"),
            .priority(Candidate.priority(kind: .prflx, localPreference: local.base.ip.isIPv6 ? 65_535 : 65_000)),
            role == .controlling ? .iceControlling(tieBreaker: tieBreaker) : .iceControlled(tieBreaker: tieBreaker),
        ]
        if nominating { attributes.append(.useCandidate) }
        let request = StunMessage(type: StunMessageType(method: .binding, class: .request),
                                  transactionID: .random(using: &random), attributes: attributes)
        let bytes = request.encoded(integrityKey: StunCredentials.shortTermKey(password: remoteCredentials.password))
        let transmit = route(bytes, from: pair.local, to: remote.address)
        transactions.start(request.transactionID, purpose: .check(pair: pairIndex, nominating: nominating), transmit: transmit,
                           now: now, rto: configuration.initialCheckRTO, maxRTO: configuration.maxCheckRTO,
                           maxTransmissions: configuration.maxCheckTransmissions)
        outbox.append(transmit)
        if pairs[pairIndex].state != .succeeded { pairs[pairIndex].state = .inProgress }
    }

    /// Regular nomination (RFC 8445 §8.1.1): once the best pair still possible has been
    /// validated, or after a short grace period, check the best valid pair again with
    /// USE-CANDIDATE.
    private func nominateIfControlling(now: ContinuousClock.Instant) {
        guard role == .controlling, selectedPairIndex == nil, let firstValidAt else { return }
        let nominationPending = transactions.entries.values.contains {
            if case .check(_, true) = $0.purpose { true } else { false }
        }
        guard !nominationPending else { return }
        guard let best = bestValidPair else { return }
        let betterPending = pairs.contains { ($0.state == .waiting || $0.state == .inProgress) && $0.priority > pairs[best].priority }
        guard !betterPending || now >= firstValidAt + configuration.nominationDelay else { return }
        sendCheck(on: best, nominating: true, now: now)
    }

    private func refreshConsent(now: ContinuousClock.Instant) {
        guard let selectedPairIndex, consent.requestDue(now: now), let remoteCredentials else { return }
        let pair = pairs[selectedPairIndex]
        let request = StunMessage(
            type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &random),
            attributes: [
                .username("\(remoteCredentials.ufrag):\(localCredentials.ufrag)"),
                .priority(localCandidates[pair.local].candidate.priority),
                role == .controlling ? .iceControlling(tieBreaker: tieBreaker) : .iceControlled(tieBreaker: tieBreaker),
            ])
        let bytes = request.encoded(integrityKey: StunCredentials.shortTermKey(password: remoteCredentials.password))
        let transmit = route(bytes, from: pair.local, to: remoteCandidates[pair.remote].address)
        // One consent request is a single transmission per RFC 7675 §5.1: a lost one is
        // covered by the next, and expiry is judged by time.
        transactions.start(request.transactionID, purpose: .consent(pair: selectedPairIndex), transmit: transmit, now: now,
                           rto: .seconds(4), maxRTO: .seconds(4), maxTransmissions: 1)
        outbox.append(transmit)
        consent.requestSent(now: now, nextAfter: consentDelay())
    }

    private func checkLiveness(now: ContinuousClock.Instant) {
        if selectedPairIndex != nil {
            if consent.expired(now: now, timeout: configuration.consentTimeout) {
                let remote = selectedPair.map { "\($0.remote.address)" } ?? "the peer"
                setState(.failed, reason: "ICE consent expired: no answer from \(remote) for \(configuration.consentTimeout)")
                return
            }
            if state == .connected, consent.silent(now: now, for: configuration.disconnectedAfter) {
                setState(.disconnected, reason: "nothing received for \(configuration.disconnectedAfter)")
            }
        } else if state == .checking, let checkingSince, now >= checkingSince + configuration.checkingTimeout {
            let tried = pairs.count
            let reason = tried == 0
                ? "no candidate pairs to check within \(configuration.checkingTimeout) (no usable remote candidates)"
                : "none of \(tried) candidate pairs worked within \(configuration.checkingTimeout)"
            setState(.failed, reason: reason)
        }
    }
}
