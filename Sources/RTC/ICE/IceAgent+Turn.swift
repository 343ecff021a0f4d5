extension IceAgent {
    func startAllocation(server: TurnServer, base: TransportAddress, now: ContinuousClock.Instant) {
        turnAllocations.append(TurnAllocation(server: server, base: base))
        pendingGatherings += 1
        sendTurnRequest(.allocate, allocation: turnAllocations.count - 1, now: now)
    }

    func queryServerReflexive(base: TransportAddress, server: TransportAddress, now: ContinuousClock.Instant) {
        let request = StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &random))
        let transmit = IceTransmit(base: base, destination: server, bytes: request.encoded())
        transactions.start(request.transactionID, purpose: .serverReflexive(base: base), transmit: transmit, now: now,
                           rto: .milliseconds(500), maxRTO: .seconds(2), maxTransmissions: 4)
        outbox.append(transmit)
        pendingGatherings += 1
    }

    func sendTurnRequest(_ request: TurnRequest, allocation index: Int, now: ContinuousClock.Instant) {
        let allocation = turnAllocations[index]
        var attributes: [StunAttribute]
        let method: StunMethod
        switch request {
        case .allocate:
            method = .allocate
            attributes = [.requestedTransport(protocolNumber: 17)]
        case .refresh:
            method = .refresh
            attributes = [.lifetime(seconds: TurnAllocation.requestedLifetime)]
        case .permission(let peers):
            method = .createPermission
            attributes = peers.map { .xorPeerAddress(TransportAddress(ip: $0, port: 0)) }
        }
        attributes += allocation.authAttributes
        let message = StunMessage(type: StunMessageType(method: method, class: .request),
                                  transactionID: .random(using: &random), attributes: attributes)
        let transmit = IceTransmit(base: allocation.base, destination: allocation.server.address,
                                   bytes: message.encoded(integrityKey: allocation.key), transport: allocation.server.transport)
        if allocation.server.transport.isStream {
            // A stream loses nothing, so a request goes once (RFC 8489 §6.2.2); the wait covers
            // connecting and the TLS handshake, whose failures the driver reports sooner.
            transactions.start(message.transactionID, purpose: .turn(allocation: index, request), transmit: transmit, now: now,
                               rto: .seconds(15), maxRTO: .seconds(15), maxTransmissions: 1)
        } else {
            transactions.start(message.transactionID, purpose: .turn(allocation: index, request), transmit: transmit, now: now,
                               rto: .milliseconds(500), maxRTO: .seconds(4), maxTransmissions: 5)
        }
        outbox.append(transmit)
    }

    func requestPermission(allocation index: Int, for ip: IPAddress, now: ContinuousClock.Instant) {
        let allocation = turnAllocations[index]
        guard allocation.failure == nil, let relayed = allocation.relayed, relayed.ip.isIPv6 == ip.isIPv6,
              !allocation.hasPermission(for: ip), !allocation.pendingPermissions.contains(ip) else { return }
        turnAllocations[index].pendingPermissions.insert(ip)
        sendTurnRequest(.permission([ip]), allocation: index, now: now)
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
        if message.type == StunMessageType(method: .data, class: .indication) {
            guard let peer = message.first({ if case .xorPeerAddress(let value) = $0 { value } else { nil } }),
                  let data = message.first({ if case .data(let value) = $0 { value } else { nil } }), let first = data.first else {
                return .dropped("Data indication without peer or data")
            }
            let relayIndex = localCandidates.firstIndex {
                $0.candidate.kind == .relay && $0.turnServer == turnAllocations[index].server && $0.base == turnAllocations[index].base
            }
            if DatagramKind(firstByte: first) == .stun {
                return handleStun(data, from: peer, localIndex: relayIndex, base: turnAllocations[index].base, now: now)
            }
            guard admitsRelayedApplicationData(from: peer, allocation: index) else {
                return .dropped("relayed DTLS or SRTP from \(peer), a path no ICE check validated")
            }
            noteTraffic(from: peer, now: now)
            return .relayedApplication(data, from: peer)
        }
        guard message.type.messageClass == .successResponse || message.type.messageClass == .errorResponse,
              let entry = transactions.complete(message.transactionID),
              case .turn(let allocationIndex, let request) = entry.purpose else {
            droppedStun += 1
            return .dropped("unexpected message from TURN server")
        }
        guard turnAllocations[allocationIndex].authenticates(message) else {
            transactions.restore(message.transactionID, entry)  // the real answer may still come
            droppedStun += 1
            unauthenticatedTurnResponses += 1
            return .dropped("TURN \(request.name) response without valid MESSAGE-INTEGRITY")
        }
        handleTurnResponse(message, request: request, allocation: allocationIndex, now: now)
        return .consumed
    }

    private func handleTurnResponse(_ response: StunMessage, request: TurnRequest, allocation index: Int, now: ContinuousClock.Instant) {
        if response.type.messageClass == .errorResponse {
            let code = response.errorCode?.code ?? 0
            let stale = code == 438
            if code == 401 || stale, !turnAllocations[index].authenticated || stale,
               let realm = response.first({ if case .realm(let value) = $0 { value } else { nil } }) ?? turnAllocations[index].realm,
               let nonce = response.first({ if case .nonce(let value) = $0 { value } else { nil } }) {
                let server = turnAllocations[index].server
                turnAllocations[index].realm = realm
                turnAllocations[index].nonce = nonce
                turnAllocations[index].key = StunCredentials.longTermKey(username: server.username, realm: realm, password: server.password)
                turnAllocations[index].authenticated = true
                sendTurnRequest(request, allocation: index, now: now)
                return
            }
            let reason = "TURN \(request.name) refused by \(turnAllocations[index].server.address): \(code) \(response.errorCode?.reason ?? "")"
            turnRequestFailed(allocation: index, request: request, reason: reason)
            return
        }
        switch request {
        case .allocate:
            guard let relayed = response.first({ if case .xorRelayedAddress(let value) = $0 { value } else { nil } }) else {
                turnRequestFailed(allocation: index, request: request, reason: "TURN Allocate success without XOR-RELAYED-ADDRESS")
                return
            }
            let lifetime = response.first { if case .lifetime(let value) = $0 { value } else { nil } } ?? TurnAllocation.requestedLifetime
            turnAllocations[index].relayed = relayed
            turnAllocations[index].expiresAt = now + .seconds(Int(lifetime))
            let allocation = turnAllocations[index]
            let relay = Candidate(foundation: "r\(index)", priority: Candidate.priority(kind: .relay, localPreference: 65_000 - UInt32(index)),
                                  address: relayed, kind: .relay, relatedAddress: response.xorMappedAddress, ufrag: localCredentials.ufrag)
            addLocalCandidate(LocalCandidate(candidate: relay, base: allocation.base, turnServer: allocation.server))
            // Over TCP or TLS the mapped address is that of the connection, which no peer can
            // reach by UDP: only a UDP allocation reveals a server-reflexive candidate.
            if !configuration.relayOnly, !allocation.server.transport.isStream, let mapped = response.xorMappedAddress,
               mapped != allocation.base {
                addServerReflexive(mapped, base: allocation.base)
            }
            pendingGatherings -= 1
            finishGatheringIfDone()
            for remote in remoteCandidates { requestPermission(allocation: index, for: remote.address.ip, now: now) }
        case .refresh:
            let lifetime = response.first { if case .lifetime(let value) = $0 { value } else { nil } } ?? TurnAllocation.requestedLifetime
            turnAllocations[index].expiresAt = now + .seconds(Int(lifetime))
        case .permission(let peers):
            for peer in peers {
                turnAllocations[index].pendingPermissions.remove(peer)
                turnAllocations[index].permissions[peer] = now + TurnAllocation.permissionLifetime
            }
            if nextCheckAt == nil { nextCheckAt = now }
        }
    }

    func turnRequestTimedOut(allocation index: Int, request: TurnRequest, now: ContinuousClock.Instant) {
        turnRequestFailed(allocation: index, request: request,
                          reason: "TURN server \(turnAllocations[index].server.address) did not answer \(request.name)")
    }

    private func turnRequestFailed(allocation index: Int, request: TurnRequest, reason: String) {
        switch request {
        case .allocate:
            allocationFailed(index, reason: reason)
        case .permission(let peers):
            for peer in peers { turnAllocations[index].pendingPermissions.remove(peer) }
        case .refresh:
            turnAllocations[index].failure = reason
            events.append(.relayUnavailable(reason: reason))
        }
    }

    /// No relay from this allocation: gathering goes on without it, and relay-only ICE fails
    /// once no allocation is left.
    private func allocationFailed(_ index: Int, reason: String) {
        turnAllocations[index].failure = reason
        events.append(.relayUnavailable(reason: reason))
        pendingGatherings -= 1
        finishGatheringIfDone()
        if configuration.relayOnly, turnAllocations.allSatisfy({ $0.failure != nil }) {
            setState(.failed, reason: reason)
        }
    }

    /// The driver's stream connection to a TURN server closed, or never opened (refused, TLS
    /// verification failed): the allocation on it is gone (over TCP an allocation lives as long
    /// as its connection, RFC 8656), and so is its relay candidate. When media flows through
    /// it, ICE fails at once with the reason rather than waiting out consent.
    public func turnConnectionClosed(to server: TransportAddress, over transport: TurnTransport, on base: TransportAddress,
                                     reason: String, now: ContinuousClock.Instant) {
        advance(to: now)
        for index in turnAllocations.indices where turnAllocations[index].server.address == server
            && turnAllocations[index].server.transport == transport && turnAllocations[index].base == base
            && turnAllocations[index].failure == nil {
            let message = "TURN \(transport) connection to \(server) closed: \(reason)"
            transactions.cancel { purpose in
                if case .turn(let allocation, _) = purpose { allocation == index } else { false }
            }
            guard let relayed = turnAllocations[index].relayed else {
                allocationFailed(index, reason: message)
                continue
            }
            turnAllocations[index].failure = message
            events.append(.relayUnavailable(reason: message))
            let relayCandidates = Set(localCandidates.indices.filter {
                localCandidates[$0].candidate.kind == .relay && localCandidates[$0].candidate.address == relayed
            })
            for pairIndex in pairs.indices where relayCandidates.contains(pairs[pairIndex].local) {
                pairs[pairIndex].state = .failed
            }
            triggeredChecks.removeAll { $0 < pairs.count && relayCandidates.contains(pairs[$0].local) }
            if let selectedPairIndex, relayCandidates.contains(pairs[selectedPairIndex].local) {
                setState(.failed, reason: message)
            } else if configuration.relayOnly, turnAllocations.allSatisfy({ $0.failure != nil }) {
                setState(.failed, reason: message)
            }
        }
    }

    func refreshTurn(now: ContinuousClock.Instant) {
        for index in turnAllocations.indices {
            let allocation = turnAllocations[index]
            guard allocation.failure == nil, allocation.relayed != nil else { continue }
            if let expiresAt = allocation.expiresAt, now >= expiresAt - TurnAllocation.refreshMargin {
                turnAllocations[index].expiresAt = now + TurnAllocation.refreshMargin * 2  // until the answer
                sendTurnRequest(.refresh, allocation: index, now: now)
            }
            let due = allocation.permissions.filter { now >= $0.value - TurnAllocation.refreshMargin }.map(\.key)
            if !due.isEmpty {
                for ip in due { turnAllocations[index].permissions[ip] = now + TurnAllocation.refreshMargin * 2 }
                sendTurnRequest(.permission(due), allocation: index, now: now)
            }
        }
    }

    /// Deletes our allocations on close (a Refresh with LIFETIME 0), so TURN servers free them
    /// at once instead of after ten minutes.
    func releaseAllocations(now: ContinuousClock.Instant) {
        for allocation in turnAllocations where allocation.relayed != nil && allocation.failure == nil {
            let message = StunMessage(type: StunMessageType(method: .refresh, class: .request),
                                      transactionID: .random(using: &random),
                                      attributes: [.lifetime(seconds: 0)] + allocation.authAttributes)
            outbox.append(IceTransmit(base: allocation.base, destination: allocation.server.address,
                                      bytes: message.encoded(integrityKey: allocation.key), transport: allocation.server.transport))
        }
    }
}

extension TurnRequest {
    var name: String {
        switch self {
        case .allocate: "Allocate"
        case .refresh: "Refresh"
        case .permission: "CreatePermission"
        }
    }
}
