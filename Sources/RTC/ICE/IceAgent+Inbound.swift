extension IceAgent {
    /// Feeds one datagram that arrived on the socket bound to `base` from `source`.
    /// Non-STUN datagrams are only classified (no copy): the caller hands them to DTLS/SRTP.
    public func handle(datagram bytes: [UInt8], from source: TransportAddress, on base: TransportAddress,
                       now: ContinuousClock.Instant) -> IceInbound {
        advance(to: now)
        guard let first = bytes.first else { return .dropped("empty datagram") }
        // A responder that answers our query by unicast (RFC 6762 §6.7) does so from port 5353.
        if source.port == MulticastDNSResolver.port, !multicastDNS.isIdle, handleMulticastDNS(bytes, now: now) { return .consumed }
        if let allocation = turn.allocation(from: source, over: .udp, on: base) {
            return handleFromTurnServer(bytes, allocation: allocation, now: now)
        }
        guard DatagramKind(firstByte: first) == .stun else {
            noteTraffic(from: source, now: now)
            return .application
        }
        return handleStun(bytes, from: source, localIndex: hostCandidate(for: base), base: base, now: now)
    }

    /// Whether datagrams from `source` on `base` come from one of our TURN servers (and so must
    /// go through `handle`, even when they are not STUN).
    public func isTurnServer(_ source: TransportAddress, base: TransportAddress) -> Bool {
        turn.allocation(from: source, over: .udp, on: base) != nil
    }

    /// Feeds one message the driver read from its stream connection (TCP or TLS) to TURN server
    /// `server`, opened for `base`: what a datagram from a UDP TURN server is, framing removed.
    public func handle(turnMessage bytes: [UInt8], from server: TransportAddress, over transport: TurnTransport,
                       on base: TransportAddress, now: ContinuousClock.Instant) -> IceInbound {
        advance(to: now)
        guard let allocation = turn.allocation(from: server, over: transport, on: base) else {
            return .dropped("from a TURN connection with no allocation")
        }
        return handleFromTurnServer(bytes, allocation: allocation, now: now)
    }

    func hostCandidate(for base: TransportAddress) -> Int? {
        localCandidates.firstIndex { $0.base == base && $0.candidate.kind == .host }
    }

    func noteTraffic(from source: TransportAddress, now: ContinuousClock.Instant) {
        guard consent.heard(from: source, now: now) else { return }
        if state == .disconnected { setState(.connected, reason: nil) }
    }

    /// A STUN datagram from a peer (`localIndex` nil: it reached a base we have no host candidate
    /// for, as in relay-only mode, where only relayed checks count).
    func handleStun(_ bytes: [UInt8], from source: TransportAddress, localIndex: Int?, base: TransportAddress,
                    now: ContinuousClock.Instant) -> IceInbound {
        let message: StunMessage
        do {
            message = try StunMessage(decoding: bytes)
        } catch {
            droppedStun += 1
            return .dropped("\(error)")
        }
        switch message.type.messageClass {
        case .request where message.type.method == .binding:
            guard let localIndex else { return .dropped("check on a base with no usable candidate") }
            return handleCheck(message, from: source, localIndex: localIndex, now: now)
        case .successResponse, .errorResponse:
            return handleResponse(message, from: source, now: now)
        case .indication where message.type.method == .binding:
            noteTraffic(from: source, now: now)  // a keepalive
            return .consumed
        default:
            droppedStun += 1
            return .dropped("unexpected STUN \(message.type)")
        }
    }

    // MARK: Checks from the peer

    private func handleCheck(_ request: StunMessage, from source: TransportAddress, localIndex: Int,
                             now: ContinuousClock.Instant) -> IceInbound {
        let localKey = StunCredentials.shortTermKey(password: localCredentials.password)
        guard request.hadFingerprint, request.hasValidIntegrity(key: localKey) else {
            droppedStun += 1
            return .dropped("connectivity check without valid FINGERPRINT and MESSAGE-INTEGRITY")
        }
        guard let username = request.username, username.hasPrefix(localCredentials.ufrag + ":") else {
            droppedStun += 1
            return .dropped("connectivity check for another ufrag")
        }
        if let conflict = resolveRoleConflict(request) {
            outbox.append(route(conflict.encoded(integrityKey: localKey), from: localIndex, to: source))
            return .consumed
        }

        let overTCP = localCandidates[localIndex].candidate.isTCP
        // An address past the candidate limit gets no answer: the peer's check fails, so it does
        // not count on a path we keep no pair for.
        guard let remoteIndex = remoteCandidates.firstIndex(where: { $0.address == source && $0.isTCP == overTCP })
            ?? learnPeerReflexive(source, request: request, overTCP: overTCP) else {
            return .dropped("connectivity check from a new address past the candidate limit")
        }
        let response = StunMessage(type: StunMessageType(method: .binding, class: .successResponse),
                                   transactionID: request.transactionID, attributes: [.xorMappedAddress(source)])
        outbox.append(route(response.encoded(integrityKey: localKey), from: localIndex, to: source))

        guard let pairIndex = addPair(local: localIndex, remote: remoteIndex) else { return .consumed }
        notePathChecked(local: localIndex, remote: source)
        if state == .new, remoteCredentials != nil {
            checkingSince = now
            setState(.checking, reason: nil)
        }
        noteTraffic(from: source, now: now)
        let useCandidate = request.attributes.contains(.useCandidate)
        if pairs[pairIndex].state == .succeeded {
            if useCandidate, role == .controlled { nominate(pairIndex, now: now) }
        } else {
            if useCandidate, role == .controlled { pairs[pairIndex].nominateOnSuccess = true }
            if pairs[pairIndex].state != .inProgress, !triggeredChecks.contains(pairIndex) {
                if pairs[pairIndex].state == .failed { pairs[pairIndex].state = .waiting }
                triggeredChecks.append(pairIndex)
                if nextCheckAt == nil || nextCheckAt! > now { nextCheckAt = now }
            }
        }
        return .consumed
    }

    /// RFC 8445 §7.3.1.3; over a connection to our passive TCP candidate, the peer's side is an
    /// active one (RFC 6544 §7.2): the connection's remote address, reached on that connection.
    private func learnPeerReflexive(_ source: TransportAddress, request: StunMessage, overTCP: Bool) -> Int? {
        guard admitsPeerReflexiveRemoteCandidate() else { return nil }
        let priority = request.first { if case .priority(let value) = $0 { value } else { nil } }
            ?? Candidate.priority(kind: .prflx, localPreference: 65_535)
        var candidate = Candidate(foundation: "prflx\(remoteCandidates.count)", priority: priority, address: source, kind: .prflx)
        if overTCP { candidate.tcpType = .active }
        remoteCandidates.append(candidate)
        return remoteCandidates.count - 1
    }

    /// RFC 8445 §7.3.1.1: both sides think they control (or are controlled); the larger
    /// tie-breaker wins. Returns a 487 response when the peer must switch, nil otherwise
    /// (switching ourselves when we lose).
    private func resolveRoleConflict(_ request: StunMessage) -> StunMessage? {
        let theirs: UInt64?
        switch role {
        case .controlling: theirs = request.first { if case .iceControlling(let value) = $0 { value } else { nil } }
        case .controlled: theirs = request.first { if case .iceControlled(let value) = $0 { value } else { nil } }
        }
        guard let theirs else { return nil }
        let weWin = tieBreaker >= theirs
        if (role == .controlling) == weWin {
            return StunMessage(type: StunMessageType(method: .binding, class: .errorResponse),
                               transactionID: request.transactionID, attributes: [.errorCode(code: 487, reason: "Role Conflict")])
        }
        switchRole()
        return nil
    }

    func switchRole() {
        role = role == .controlling ? .controlled : .controlling
        recomputePairPriorities()
    }

    // MARK: Responses to our requests

    private func handleResponse(_ response: StunMessage, from source: TransportAddress, now: ContinuousClock.Instant) -> IceInbound {
        guard let entry = transactions.complete(response.transactionID) else {
            droppedStun += 1
            return .dropped("response to no request of ours")
        }
        switch entry.purpose {
        case .check(let pairIndex, let nominating):
            return handleCheckResponse(response, pairIndex: pairIndex, nominating: nominating, from: source, entry: entry, now: now)
        case .consent(let pairIndex):
            guard verifiedFromPeer(response, entry: entry) else { return .dropped("consent response failed integrity") }
            if response.type.messageClass == .successResponse, pairIndex == selectedPairIndex {
                consent.answered(now: now)
                noteTraffic(from: source, now: now)
            }
            return .consumed
        case .serverReflexive(let base):
            pendingGatherings -= 1
            if response.type.messageClass == .successResponse, let mapped = response.xorMappedAddress, mapped != base {
                addServerReflexive(mapped, base: base)
            }
            finishGatheringIfDone()
            return .consumed
        }
    }

    /// Integrity of a peer's response is keyed with the peer's password; a forged or corrupted
    /// one is dropped and the request stays outstanding.
    private func verifiedFromPeer(_ response: StunMessage, entry: StunTransactionTable<TransactionPurpose>.Entry) -> Bool {
        guard let remoteCredentials,
              response.hasValidIntegrity(key: StunCredentials.shortTermKey(password: remoteCredentials.password)) else {
            droppedStun += 1
            transactions.restore(response.transactionID, entry)
            return false
        }
        return true
    }

    private func handleCheckResponse(_ response: StunMessage, pairIndex: Int, nominating: Bool, from source: TransportAddress,
                                     entry: StunTransactionTable<TransactionPurpose>.Entry, now: ContinuousClock.Instant) -> IceInbound {
        guard pairIndex < pairs.count else { return .consumed }
        let expected = remoteCandidates[pairs[pairIndex].remote].address
        guard source == expected else {
            // Non-symmetric path (RFC 8445 §7.2.5.2.1): the check fails.
            pairs[pairIndex].state = .failed
            return .consumed
        }
        guard verifiedFromPeer(response, entry: entry) else { return .dropped("check response failed integrity") }
        noteTraffic(from: source, now: now)
        if response.type.messageClass == .errorResponse {
            if response.errorCode?.code == 487 {
                switchRole()
                pairs[pairIndex].state = .waiting
                triggeredChecks.append(pairIndex)
                nextCheckAt = now
            } else {
                pairs[pairIndex].state = .failed
            }
            return .consumed
        }
        pairs[pairIndex].state = .succeeded
        notePathChecked(local: pairs[pairIndex].local, remote: source)
        if let mapped = response.xorMappedAddress {
            pairs[pairIndex].validLocal = localCandidate(seenAs: mapped, checkedFrom: pairs[pairIndex].local)
        }
        if firstValidAt == nil { firstValidAt = now }
        if nominating || (role == .controlled && pairs[pairIndex].nominateOnSuccess) {
            nominate(pairIndex, now: now)
        }
        return .consumed
    }

    func nominate(_ pairIndex: Int, now: ContinuousClock.Instant) {
        pairs[pairIndex].nominated = true
        if let current = selectedPairIndex, current != pairIndex, pairs[current].priority >= pairs[pairIndex].priority,
           role == .controlling {
            return
        }
        guard selectedPairIndex != pairIndex else { return }
        selectedPairIndex = pairIndex
        let pair = pairs[pairIndex]
        consent.start(peer: remoteCandidates[pair.remote].address, now: now, firstRequestAfter: consentDelay())
        events.append(.selectedPair(local: localCandidates[pair.validLocal ?? pair.local].candidate, remote: remoteCandidates[pair.remote]))
        setState(.connected, reason: nil)
    }

    /// RFC 8445 §7.2.5.3.1: the peer saw our check, sent from `localIndex`, come from `mapped`.
    /// When that differs (a NAT is in between), our side of the valid pair is the candidate with
    /// that address on the same base: the server-reflexive one when STUN found it, otherwise a
    /// new peer-reflexive one (kept, never signalled, never paired: checks leave from the base).
    /// Returns nil when the check's own candidate is what the peer saw.
    func localCandidate(seenAs mapped: TransportAddress, checkedFrom localIndex: Int) -> Int? {
        let local = localCandidates[localIndex]
        guard local.candidate.address != mapped, local.candidate.kind != .relay else { return nil }
        if let known = localCandidates.firstIndex(where: { $0.base == local.base && $0.candidate.address == mapped }) { return known }
        guard admitsPeerReflexiveLocalCandidate() else { return nil }
        let preference: UInt32 = mapped.ip.isIPv6 ? 65_535 : 65_000
        var peerReflexive = Candidate(foundation: "p\(localCandidates.count)",
                                      priority: Candidate.priority(kind: .prflx, localPreference: preference),
                                      address: mapped, kind: .prflx, relatedAddress: local.base, ufrag: localCredentials.ufrag)
        peerReflexive.tcpType = local.candidate.tcpType
        localCandidates.append(LocalCandidate(candidate: peerReflexive, base: local.base))
        return localCandidates.count - 1
    }

    func consentDelay() -> Duration {
        .milliseconds(Int(Double.random(in: configuration.consentInterval, using: &random) * 1_000))
    }

    func addServerReflexive(_ mapped: TransportAddress, base: TransportAddress) {
        let candidate = Candidate(foundation: "s\(localCandidates.count)",
                                  priority: Candidate.priority(kind: .srflx, localPreference: mapped.ip.isIPv6 ? 65_535 : 65_000),
                                  address: mapped, kind: .srflx, relatedAddress: base, ufrag: localCredentials.ufrag)
        addLocalCandidate(LocalCandidate(candidate: candidate, base: base))
    }
}
