/// The TURN client (RFC 8656) of one ICE agent: an allocation per TURN server and base, the
/// requests that make and keep it (Allocate, Refresh, CreatePermission) with their
/// retransmissions and long-term credentials, the server's answers checked for integrity, and the
/// allocations deleted on close.
///
/// Sans-IO like the agent, and knowing nothing of candidates or pairs: what to send goes to the
/// outbox it is given, and what happened comes back as `Outcome`s, which the agent turns into
/// relay candidates, gathering progress, failed pairs and events.
struct TurnClient {
    enum Outcome: Equatable {
        /// The allocation gave us a relayed address; over UDP also the address the server saw
        /// us at (a server-reflexive candidate).
        case relayed(allocation: Int, relayed: TransportAddress, mapped: TransportAddress?)
        /// An Allocate failed for good: no relay from this allocation.
        case allocationFailed(allocation: Int, reason: String)
        /// A refresh failed: the relay ends when its lifetime does.
        case refreshFailed(reason: String)
        /// The stream connection an allocation lived on closed: its relay is gone now.
        case relayLost(relayed: TransportAddress, reason: String)
        /// A permission is in place: relayed checks to that peer may go.
        case permissionInstalled
    }

    struct Transaction {
        let allocation: Int
        let request: TurnRequest
    }

    private(set) var allocations: [TurnAllocation] = []
    private(set) var transactions = StunTransactionTable<Transaction>()
    /// Responses ignored for want of valid MESSAGE-INTEGRITY (`TurnAllocation.authenticates`):
    /// forged, or from a server that does not sign them.
    private(set) var unauthenticatedResponses = 0

    /// Whether every allocation has failed (none may have been made).
    var allFailed: Bool { allocations.allSatisfy { $0.failure != nil } }

    /// The allocation whose server sends to `base` from `source` over `transport`.
    func allocation(from source: TransportAddress, over transport: TurnTransport, on base: TransportAddress) -> Int? {
        guard !allocations.isEmpty else { return nil }
        return allocations.firstIndex { $0.server.address == source && $0.server.transport == transport && $0.base == base }
    }

    /// Whether checks may go from our relayed address `relayed` to `peer`: the server forwards
    /// only to addresses it holds a permission for.
    func permits(relayed: TransportAddress, to peer: IPAddress) -> Bool {
        allocations.contains { $0.relayed == relayed && $0.hasPermission(for: peer) }
    }

    /// The earliest retransmission, or refresh of an allocation or a permission.
    var nextTimeout: ContinuousClock.Instant? {
        var earliest = transactions.nextDeadline
        for allocation in allocations {
            if let due = allocation.nextRefreshAt, earliest.map({ due < $0 }) ?? true { earliest = due }
        }
        return earliest
    }

    // MARK: Requests

    mutating func allocate(on server: TurnServer, from base: TransportAddress, now: ContinuousClock.Instant,
                           random: inout SeededRandom, outbox: inout [IceTransmit]) {
        allocations.append(TurnAllocation(server: server, base: base))
        send(.allocate, allocation: allocations.count - 1, now: now, random: &random, outbox: &outbox)
    }

    /// Asks every allocation with a relay of the peer's family for a permission to `ip`.
    mutating func requestPermissions(for ip: IPAddress, now: ContinuousClock.Instant, random: inout SeededRandom,
                                     outbox: inout [IceTransmit]) {
        for index in allocations.indices { requestPermission(allocation: index, for: ip, now: now, random: &random, outbox: &outbox) }
    }

    mutating func requestPermission(allocation index: Int, for ip: IPAddress, now: ContinuousClock.Instant,
                                    random: inout SeededRandom, outbox: inout [IceTransmit]) {
        let allocation = allocations[index]
        guard allocation.failure == nil, let relayed = allocation.relayed, relayed.ip.isIPv6 == ip.isIPv6,
              !allocation.hasPermission(for: ip), !allocation.pendingPermissions.contains(ip) else { return }
        allocations[index].pendingPermissions.insert(ip)
        send(.permission([ip]), allocation: index, now: now, random: &random, outbox: &outbox)
    }

    private mutating func send(_ request: TurnRequest, allocation index: Int, now: ContinuousClock.Instant,
                               random: inout SeededRandom, outbox: inout [IceTransmit]) {
        let allocation = allocations[index]
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
        let transaction = Transaction(allocation: index, request: request)
        if allocation.server.transport.isStream {
            // A stream loses nothing, so a request goes once (RFC 8489 §6.2.2); the wait covers
            // connecting and the TLS handshake, whose failures the driver reports sooner.
            transactions.start(message.transactionID, purpose: transaction, transmit: transmit, now: now,
                               rto: .seconds(15), maxRTO: .seconds(15), maxTransmissions: 1)
        } else {
            transactions.start(message.transactionID, purpose: transaction, transmit: transmit, now: now,
                               rto: .milliseconds(500), maxRTO: .seconds(4), maxTransmissions: 5)
        }
        outbox.append(transmit)
    }

    // MARK: Answers

    /// A response from the server of one of our allocations (not a Data indication: those carry
    /// the peer's datagrams, which are the agent's). Dropped when it answers no request of ours or
    /// fails integrity; then the request keeps being retransmitted.
    mutating func handle(response: StunMessage, now: ContinuousClock.Instant, random: inout SeededRandom,
                         outbox: inout [IceTransmit], outcomes: inout [Outcome]) -> IceInbound {
        guard response.type.messageClass == .successResponse || response.type.messageClass == .errorResponse,
              let entry = transactions.complete(response.transactionID) else {
            return .dropped("unexpected message from TURN server")
        }
        let (index, request) = (entry.purpose.allocation, entry.purpose.request)
        guard allocations[index].authenticates(response) else {
            transactions.restore(response.transactionID, entry)  // the real answer may still come
            unauthenticatedResponses += 1
            return .dropped("TURN \(request.name) response without valid MESSAGE-INTEGRITY")
        }
        if response.type.messageClass == .errorResponse {
            let code = response.errorCode?.code ?? 0
            let stale = code == 438
            if code == 401 || stale, !allocations[index].authenticated || stale,
               let realm = response.first({ if case .realm(let value) = $0 { value } else { nil } }) ?? allocations[index].realm,
               let nonce = response.first({ if case .nonce(let value) = $0 { value } else { nil } }) {
                let server = allocations[index].server
                allocations[index].realm = realm
                allocations[index].nonce = nonce
                allocations[index].key = StunCredentials.longTermKey(username: server.username, realm: realm, password: server.password)
                allocations[index].authenticated = true
                send(request, allocation: index, now: now, random: &random, outbox: &outbox)
                return .consumed
            }
            let reason = "TURN \(request.name) refused by \(allocations[index].server.address): \(code) \(response.errorCode?.reason ?? "")"
            failed(request, allocation: index, reason: reason, outcomes: &outcomes)
            return .consumed
        }
        switch request {
        case .allocate:
            guard let relayed = response.first({ if case .xorRelayedAddress(let value) = $0 { value } else { nil } }) else {
                failed(request, allocation: index, reason: "TURN Allocate success without XOR-RELAYED-ADDRESS", outcomes: &outcomes)
                return .consumed
            }
            let lifetime = response.first { if case .lifetime(let value) = $0 { value } else { nil } } ?? TurnAllocation.requestedLifetime
            allocations[index].relayed = relayed
            allocations[index].expiresAt = now + .seconds(Int(lifetime))
            // Over TCP or TLS the mapped address is that of the connection, which no peer can
            // reach by UDP: only a UDP allocation reveals a server-reflexive candidate.
            let mapped = allocations[index].server.transport.isStream ? nil : response.xorMappedAddress
            outcomes.append(.relayed(allocation: index, relayed: relayed, mapped: mapped))
        case .refresh:
            let lifetime = response.first { if case .lifetime(let value) = $0 { value } else { nil } } ?? TurnAllocation.requestedLifetime
            allocations[index].expiresAt = now + .seconds(Int(lifetime))
        case .permission(let peers):
            for peer in peers {
                allocations[index].pendingPermissions.remove(peer)
                allocations[index].permissions[peer] = now + TurnAllocation.permissionLifetime
            }
            outcomes.append(.permissionInstalled)
        }
        return .consumed
    }

    private mutating func failed(_ request: TurnRequest, allocation index: Int, reason: String, outcomes: inout [Outcome]) {
        switch request {
        case .allocate:
            allocations[index].failure = reason
            outcomes.append(.allocationFailed(allocation: index, reason: reason))
        case .permission(let peers):
            for peer in peers { allocations[index].pendingPermissions.remove(peer) }
        case .refresh:
            allocations[index].failure = reason
            outcomes.append(.refreshFailed(reason: reason))
        }
    }

    // MARK: Time and connections

    /// Retransmits what is due, gives up on requests out of attempts, and refreshes allocations
    /// and permissions a minute before they expire.
    mutating func handleTimeout(now: ContinuousClock.Instant, random: inout SeededRandom, outbox: inout [IceTransmit],
                                outcomes: inout [Outcome]) {
        let (resend, expired) = transactions.due(at: now)
        outbox.append(contentsOf: resend)
        for transaction in expired {
            failed(transaction.request, allocation: transaction.allocation,
                   reason: "TURN server \(allocations[transaction.allocation].server.address) did not answer \(transaction.request.name)",
                   outcomes: &outcomes)
        }
        for index in allocations.indices {
            let allocation = allocations[index]
            guard allocation.failure == nil, allocation.relayed != nil else { continue }
            if let expiresAt = allocation.expiresAt, now >= expiresAt - TurnAllocation.refreshMargin {
                allocations[index].expiresAt = now + TurnAllocation.refreshMargin * 2  // until the answer
                send(.refresh, allocation: index, now: now, random: &random, outbox: &outbox)
            }
            let due = allocation.permissions.filter { now >= $0.value - TurnAllocation.refreshMargin }.map(\.key)
            if !due.isEmpty {
                for ip in due { allocations[index].permissions[ip] = now + TurnAllocation.refreshMargin * 2 }
                send(.permission(due), allocation: index, now: now, random: &random, outbox: &outbox)
            }
        }
    }

    /// The driver's stream connection to `server` closed, or never opened (refused, TLS
    /// verification failed): the allocation on it is gone (over TCP an allocation lives as long
    /// as its connection, RFC 8656), and with it the relay it gave.
    mutating func connectionClosed(to server: TransportAddress, over transport: TurnTransport, on base: TransportAddress,
                                   reason: String, outcomes: inout [Outcome]) {
        for index in allocations.indices where allocations[index].server.address == server
            && allocations[index].server.transport == transport && allocations[index].base == base
            && allocations[index].failure == nil {
            let message = "TURN \(transport) connection to \(server) closed: \(reason)"
            transactions.cancel { $0.allocation == index }
            allocations[index].failure = message
            if let relayed = allocations[index].relayed {
                outcomes.append(.relayLost(relayed: relayed, reason: message))
            } else {
                outcomes.append(.allocationFailed(allocation: index, reason: message))
            }
        }
    }

    /// Deletes our allocations (a Refresh with LIFETIME 0), so the servers free them at once
    /// instead of after ten minutes; nothing more is retransmitted.
    mutating func close(random: inout SeededRandom, outbox: inout [IceTransmit]) {
        for allocation in allocations where allocation.relayed != nil && allocation.failure == nil {
            let message = StunMessage(type: StunMessageType(method: .refresh, class: .request),
                                      transactionID: .random(using: &random),
                                      attributes: [.lifetime(seconds: 0)] + allocation.authAttributes)
            outbox.append(IceTransmit(base: allocation.base, destination: allocation.server.address,
                                      bytes: message.encoded(integrityKey: allocation.key), transport: allocation.server.transport))
        }
        transactions.cancel { _ in true }
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
