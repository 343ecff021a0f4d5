@testable import RTC
import Testing

/// The TURN client alone, against a server the test plays by hand: what it sends, and the
/// outcomes it reports for the agent to act on.
@Suite("TURN client: allocations, credentials, permissions, loss of the relay")
struct TurnClientTests {
    static let base = TransportAddress(ip: IPAddress("10.0.0.2")!, port: 50_000)
    static let relayed = TransportAddress(ip: IPAddress("198.51.100.3")!, port: 61_000)
    static let mapped = TransportAddress(ip: IPAddress("203.0.113.2")!, port: 50_000)
    static let peer = IPAddress("203.0.113.7")!
    static let realm = "tapedeck.test"

    /// A client with one allocation on `server`, and the outbox and outcomes of the calls made.
    struct Exchange {
        let server: TurnServer
        var client = TurnClient()
        var random = SeededRandom(seed: 3)
        var outbox: [IceTransmit] = []
        var outcomes: [TurnClient.Outcome] = []
        var now = ContinuousClock.now

        init(transport: TurnTransport = .udp) {
            server = TurnServer(address: TransportAddress(ip: IPAddress("198.51.100.3")!, port: 3_478),
                                username: "tapedeck", password: "turn-secret", transport: transport)
            client.allocate(on: server, from: TurnClientTests.base, now: now, random: &random, outbox: &outbox)
        }

        var key: [UInt8] { StunCredentials.longTermKey(username: server.username, realm: TurnClientTests.realm, password: server.password) }

        /// The requests sent since the last call, decoded; the outbox is emptied.
        mutating func sent() throws -> [StunMessage] {
            defer { outbox.removeAll() }
            return try outbox.map { transmit in
                #expect(transmit.destination == server.address && transmit.base == TurnClientTests.base)
                #expect(transmit.transport == server.transport)
                return try StunMessage(decoding: transmit.bytes)
            }
        }

        mutating func answer(_ request: StunMessage, _ messageClass: StunClass, _ attributes: [StunAttribute],
                             key: [UInt8]?) -> IceInbound {
            let response = StunMessage(type: StunMessageType(method: request.type.method, class: messageClass),
                                       transactionID: request.transactionID, attributes: attributes)
            let decoded = try! StunMessage(decoding: response.encoded(integrityKey: key))
            return client.handle(response: decoded, now: now, random: &random, outbox: &outbox, outcomes: &outcomes)
        }

        /// Challenged, retried with credentials, allocated; returns the allocation's outcome.
        mutating func allocate() throws {
            let first = try #require(try sent().first)
            #expect(first.type.method == .allocate && !first.carriesIntegrity)
            #expect(answer(first, .errorResponse, [.errorCode(code: 401, reason: "Unauthorized"), .realm(TurnClientTests.realm),
                                                   .nonce("n1")], key: nil) == .consumed)
            let second = try #require(try sent().first)
            #expect(second.type.method == .allocate && second.carriesIntegrity)
            #expect(answer(second, .successResponse, [.xorRelayedAddress(TurnClientTests.relayed),
                                                      .xorMappedAddress(TurnClientTests.mapped), .lifetime(seconds: 600)],
                           key: key) == .consumed)
        }
    }

    @Test("over UDP: challenged, retried with credentials, the relayed and mapped addresses reported; a permission asked for and reported")
    func allocatesOverUDP() throws {
        var exchange = Exchange()
        try exchange.allocate()
        #expect(exchange.outcomes == [.relayed(allocation: 0, relayed: Self.relayed, mapped: Self.mapped)])
        #expect(!exchange.client.permits(relayed: Self.relayed, to: Self.peer))

        exchange.client.requestPermissions(for: Self.peer, now: exchange.now, random: &exchange.random, outbox: &exchange.outbox)
        exchange.client.requestPermissions(for: Self.peer, now: exchange.now, random: &exchange.random, outbox: &exchange.outbox)
        let requests = try exchange.sent()
        #expect(requests.count == 1, "one CreatePermission while the first is pending")
        let permission = try #require(requests.first)
        #expect(permission.type.method == .createPermission)
        #expect(exchange.answer(permission, .successResponse, [], key: exchange.key) == .consumed)
        #expect(exchange.outcomes.last == .permissionInstalled)
        #expect(exchange.client.permits(relayed: Self.relayed, to: Self.peer))
        // The permission (300 s) is refreshed a minute before it lapses, the allocation (600 s) later.
        #expect(exchange.client.nextTimeout == exchange.now + .seconds(240))
    }

    @Test("over TCP no mapped address is reported (it is the connection's); the connection closing loses the relay")
    func streamAllocation() throws {
        var exchange = Exchange(transport: .tcp)
        try exchange.allocate()
        #expect(exchange.outcomes == [.relayed(allocation: 0, relayed: Self.relayed, mapped: nil)])
        exchange.client.connectionClosed(to: exchange.server.address, over: .tcp, on: Self.base, reason: "reset",
                                         outcomes: &exchange.outcomes)
        guard case .relayLost(let relayed, let reason) = exchange.outcomes.last else {
            Issue.record("no relay lost: \(exchange.outcomes)")
            return
        }
        #expect(relayed == Self.relayed && reason.contains("reset"))
        #expect(exchange.client.allFailed)
        #expect(exchange.client.nextTimeout == nil, "nothing left to refresh or retransmit")
    }

    @Test("an Allocate nobody answers is retransmitted, then fails with the reason; one refused fails with the server's")
    func allocationFails() throws {
        var exchange = Exchange()
        _ = try exchange.sent()
        var retransmissions = 0
        while exchange.outcomes.isEmpty, let due = exchange.client.nextTimeout {
            exchange.now = due
            exchange.client.handleTimeout(now: due, random: &exchange.random, outbox: &exchange.outbox, outcomes: &exchange.outcomes)
            retransmissions += try exchange.sent().count
        }
        #expect(retransmissions == 4, "five transmissions in all")
        guard case .allocationFailed(0, let reason) = exchange.outcomes.first else {
            Issue.record("no failure: \(exchange.outcomes)")
            return
        }
        #expect(reason.contains("did not answer Allocate"))

        var refused = Exchange()
        let request = try #require(try refused.sent().first)
        #expect(refused.answer(request, .errorResponse, [.errorCode(code: 486, reason: "Allocation Quota Reached")], key: nil) == .consumed)
        guard case .allocationFailed(0, let why) = refused.outcomes.first else {
            Issue.record("no failure: \(refused.outcomes)")
            return
        }
        #expect(why.contains("486"))
    }

    @Test("a response with a wrong MESSAGE-INTEGRITY is dropped and the request stays outstanding")
    func forgedResponse() throws {
        var exchange = Exchange()
        let first = try #require(try exchange.sent().first)
        _ = exchange.answer(first, .errorResponse, [.errorCode(code: 401, reason: "Unauthorized"), .realm(Self.realm), .nonce("n1")],
                            key: nil)
        let second = try #require(try exchange.sent().first)
        let wrongKey = StunCredentials.longTermKey(username: "tapedeck", realm: Self.realm, password: "guessed")
        guard case .dropped = exchange.answer(second, .successResponse, [.xorRelayedAddress(Self.relayed)], key: wrongKey) else {
            Issue.record("a forged success was taken")
            return
        }
        #expect(exchange.outcomes.isEmpty && exchange.client.unauthenticatedResponses == 1)
        #expect(exchange.client.transactions.entries[second.transactionID] != nil)
        #expect(exchange.answer(second, .successResponse, [.xorRelayedAddress(Self.relayed)], key: exchange.key) == .consumed)
        #expect(exchange.outcomes == [.relayed(allocation: 0, relayed: Self.relayed, mapped: nil)])
    }

    @Test("close deletes a working allocation (Refresh, LIFETIME 0) and retransmits nothing more")
    func close() throws {
        var exchange = Exchange()
        try exchange.allocate()
        exchange.client.requestPermissions(for: Self.peer, now: exchange.now, random: &exchange.random, outbox: &exchange.outbox)
        _ = try exchange.sent()
        exchange.client.close(random: &exchange.random, outbox: &exchange.outbox)
        let deletion = try #require(try exchange.sent().first)
        #expect(deletion.type.method == .refresh && deletion.carriesIntegrity)
        #expect(deletion.attributes.contains { if case .lifetime(0) = $0 { true } else { false } })
        #expect(exchange.client.transactions.entries.isEmpty)
    }
}
