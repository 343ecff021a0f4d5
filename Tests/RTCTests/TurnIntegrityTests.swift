@testable import RTC
import Testing

/// An ICE agent allocating a relay on a TURN server that the test plays by hand: it answers the
/// agent's requests (right transaction ID) with or without a valid MESSAGE-INTEGRITY.
private struct TurnExchange {
    static let base = TransportAddress(ip: IPAddress("10.0.0.2")!, port: 50_000)
    static let server = TurnServer(address: TransportAddress(ip: IPAddress("198.51.100.3")!, port: 3_478),
                                   username: "tapedeck", password: "turn-secret")
    static let relayed = TransportAddress(ip: IPAddress("198.51.100.3")!, port: 61_000)
    static let mapped = TransportAddress(ip: IPAddress("203.0.113.2")!, port: 50_000)
    static let peer = TransportAddress(ip: IPAddress("203.0.113.7")!, port: 40_000)
    static let realm = "tapedeck.test"
    static let key = StunCredentials.longTermKey(username: server.username, realm: realm, password: server.password)
    static let wrongKey = StunCredentials.longTermKey(username: server.username, realm: realm, password: "guessed")

    let agent: IceAgent
    let local = IceCredentials(ufrag: "rec1", password: "recorderpasswordrecorder")
    let remote = IceCredentials(ufrag: "peer", password: "peerpasswordpeerpassword")
    var now = ContinuousClock.now

    init() {
        var configuration = IceConfiguration()
        configuration.turnServers = [Self.server]
        agent = IceAgent(role: .controlled, credentials: local, configuration: configuration, seed: 1)
        agent.startGathering(bases: [Self.base], now: now)
        agent.setRemoteCredentials(remote, now: now)
    }

    /// The latest request (of `method`, when given) the agent sent the TURN server; anything
    /// else it sent is dropped.
    func request(_ method: StunMethod? = nil) throws -> StunMessage {
        var latest: StunMessage?
        while let transmit = agent.pollTransmit() {
            guard transmit.destination == Self.server.address, let message = try? StunMessage(decoding: transmit.bytes),
                  message.type.messageClass == .request, method.map({ $0 == message.type.method }) ?? true else { continue }
            latest = message
        }
        return try #require(latest)
    }

    func answer(_ request: StunMessage, _ messageClass: StunClass, _ attributes: [StunAttribute], key: [UInt8]?) -> IceInbound {
        let response = StunMessage(type: StunMessageType(method: request.type.method, class: messageClass),
                                   transactionID: request.transactionID, attributes: attributes)
        return agent.handle(datagram: response.encoded(integrityKey: key), from: Self.server.address, on: Self.base, now: now)
    }

    static let allocated: [StunAttribute] = [.xorRelayedAddress(relayed), .xorMappedAddress(mapped), .lifetime(seconds: 600)]

    /// The 401 challenge, answered by an authenticated Allocate; returns that request.
    func challenge() throws -> StunMessage {
        let first = try request()
        #expect(answer(first, .errorResponse, [.errorCode(code: 401, reason: "Unauthorized"), .realm(Self.realm), .nonce("n1")],
                       key: nil) == .consumed)
        let second = try request()
        #expect(second.carriesIntegrity)
        return second
    }

    /// A relay allocated (genuinely) and a permission for the peer installed.
    func allocateWithPermission() throws {
        #expect(answer(try challenge(), .successResponse, Self.allocated, key: Self.key) == .consumed)
        agent.addRemoteCandidate(Candidate(foundation: "p", priority: 100, address: Self.peer, kind: .host), now: now)
        let permission = try request(.createPermission)
        #expect(answer(permission, .successResponse, [], key: Self.key) == .consumed)
    }

    var relayCandidates: [Candidate] { agent.gatheredCandidates.filter { $0.kind == .relay } }

    /// A datagram from the peer, as the TURN server relays it (a Data indication, RFC 8656 §11.6).
    func relayFromPeer(_ bytes: [UInt8]) -> IceInbound {
        var generator = SystemRandomNumberGenerator()
        let indication = StunMessage(type: StunMessageType(method: .data, class: .indication), transactionID: .random(using: &generator),
                                     attributes: [.xorPeerAddress(Self.peer), .data(bytes)])
        return agent.handle(datagram: indication.encoded(fingerprint: false), from: Self.server.address, on: Self.base, now: now)
    }

    /// An authenticated connectivity check from the peer (to our relay candidate).
    func checkFromPeer() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let request = StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &generator),
                                  attributes: [.username("\(local.ufrag):\(remote.ufrag)"), .priority(1_000),
                                               .iceControlling(tieBreaker: .max)])
        return request.encoded(integrityKey: StunCredentials.shortTermKey(password: local.password))
    }
}

/// TURN responses are acted on only with a valid MESSAGE-INTEGRITY under the long-term
/// credentials (RFC 8489 §9.2.5, RFC 8656 §5); challenges (401, 438) carry none by design.
@Suite("TURN responses checked for integrity")
struct TurnIntegrityTests {
    @Test("an Allocate success without MESSAGE-INTEGRITY, or with a wrong one, is ignored; the genuine one is taken")
    func allocate() throws {
        let exchange = TurnExchange()
        let request = try exchange.challenge()
        #expect(exchange.answer(request, .successResponse, TurnExchange.allocated, key: nil) != .consumed)
        #expect(exchange.answer(request, .successResponse, TurnExchange.allocated, key: TurnExchange.wrongKey) != .consumed)
        #expect(exchange.relayCandidates.isEmpty)
        #expect(exchange.agent.unauthenticatedTurnResponses == 2)
        // The request is still outstanding (retransmitted), so the real answer is taken.
        #expect(exchange.agent.turn.transactions.entries[request.transactionID] != nil)
        #expect(exchange.answer(request, .successResponse, TurnExchange.allocated, key: TurnExchange.key) == .consumed)
        #expect(exchange.relayCandidates.map(\.address) == [TurnExchange.relayed])
        #expect(exchange.agent.unauthenticatedTurnResponses == 2)
    }

    @Test("a success answering the unauthenticated first Allocate is ignored: a TURN server must challenge it")
    func successBeforeChallenge() throws {
        let exchange = TurnExchange()
        let first = try exchange.request()
        #expect(exchange.answer(first, .successResponse, TurnExchange.allocated, key: nil) != .consumed)
        #expect(exchange.relayCandidates.isEmpty)
        #expect(exchange.agent.unauthenticatedTurnResponses == 1)
    }

    @Test("CreatePermission and Refresh successes are taken only with valid integrity")
    func permissionAndRefresh() throws {
        var exchange = TurnExchange()
        #expect(exchange.answer(try exchange.challenge(), .successResponse, TurnExchange.allocated, key: TurnExchange.key) == .consumed)
        exchange.agent.addRemoteCandidate(Candidate(foundation: "p", priority: 100, address: TurnExchange.peer, kind: .host),
                                          now: exchange.now)
        let permission = try exchange.request(.createPermission)
        #expect(exchange.answer(permission, .successResponse, [], key: nil) != .consumed)
        #expect(exchange.answer(permission, .successResponse, [], key: TurnExchange.wrongKey) != .consumed)
        #expect(!exchange.agent.turn.allocations[0].hasPermission(for: TurnExchange.peer.ip))
        #expect(exchange.answer(permission, .successResponse, [], key: TurnExchange.key) == .consumed)
        #expect(exchange.agent.turn.allocations[0].hasPermission(for: TurnExchange.peer.ip))

        // Refresh a minute before the allocation's 600 s run out; a forged answer does not extend it.
        exchange.now += .seconds(541)
        exchange.agent.handleTimeout(now: exchange.now)
        let refresh = try exchange.request(.refresh)
        let untilAnswered = exchange.agent.turn.allocations[0].expiresAt
        #expect(exchange.answer(refresh, .successResponse, [.lifetime(seconds: 3_600)], key: nil) != .consumed)
        #expect(exchange.agent.turn.allocations[0].expiresAt == untilAnswered)
        #expect(exchange.answer(refresh, .successResponse, [.lifetime(seconds: 600)], key: TurnExchange.key) == .consumed)
        #expect(exchange.agent.turn.allocations[0].expiresAt == exchange.now + .seconds(600))
        #expect(exchange.agent.unauthenticatedTurnResponses == 3)
    }

    @Test("error responses: 438 (stale nonce) is taken without integrity; another error to an authenticated request needs it")
    func errors() throws {
        let exchange = TurnExchange()
        let request = try exchange.challenge()
        #expect(exchange.answer(request, .errorResponse, [.errorCode(code: 438, reason: "Stale Nonce"), .realm(TurnExchange.realm),
                                                         .nonce("n2")], key: nil) == .consumed)
        let retried = try exchange.request()
        #expect(retried.first { if case .nonce(let value) = $0 { value } else { nil } } == "n2")
        // A forged refusal would end the allocation: ignored until signed.
        let refusal: [StunAttribute] = [.errorCode(code: 486, reason: "Allocation Quota Reached")]
        #expect(exchange.answer(retried, .errorResponse, refusal, key: nil) != .consumed)
        #expect(exchange.agent.turn.allocations[0].failure == nil)
        #expect(exchange.answer(retried, .errorResponse, refusal, key: TurnExchange.key) == .consumed)
        #expect(exchange.agent.turn.allocations[0].failure?.contains("486") == true)
    }

    @Test("DTLS relayed from the peer is taken only once the peer's check through the relay passed; a direct copy is not")
    func relayedApplicationData() throws {
        let exchange = TurnExchange()
        try exchange.allocateWithPermission()
        let clientHello: [UInt8] = [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
        #expect(exchange.relayFromPeer(clientHello) != .relayedApplication(clientHello, from: TurnExchange.peer))
        #expect(exchange.agent.uncheckedSourceDrops == 1)

        #expect(exchange.relayFromPeer(exchange.checkFromPeer()) == .consumed)
        #expect(exchange.relayFromPeer(clientHello) == .relayedApplication(clientHello, from: TurnExchange.peer))
        // The same peer address straight to our socket is another path, and no check passed on it.
        #expect(!exchange.agent.admitsApplicationData(from: TurnExchange.peer, on: TurnExchange.base, now: exchange.now))
        #expect(exchange.agent.uncheckedSourceDrops == 2)
    }
}
