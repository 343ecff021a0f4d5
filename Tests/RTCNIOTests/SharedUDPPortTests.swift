import NIOCore
import NIOPosix
import RTC
import RTCNIO
import Testing

private let loopback = IPAddress("127.0.0.1")!

/// A bot's receiving peer on the shared port and the participant it talks to, on sockets of its
/// own, negotiated and trickled as signaling would.
private struct Call {
    let bot: UDPEndpointDriver<PeerConnection>
    let participant: UDPEndpointDriver<PeerConnection>
    /// What each pushed (candidates to trickle).
    let botEvents: EventInbox<PeerConnectionEvent>
    let participantEvents: EventInbox<PeerConnectionEvent>

    static func start(botOn port: SharedUDPPort) async throws -> Call {
        let botConfiguration = PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000))
        var sending = PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000))
        sending.sendsMedia = true
        let participantConfiguration = sending
        let seed = UInt64.random(in: .min ... .max)
        let botEvents = EventInbox<PeerConnectionEvent>(), participantEvents = EventInbox<PeerConnectionEvent>()
        let bot = try await UDPEndpointDriver.start(on: port, addresses: [loopback], onEvent: { botEvents.record($1) }) { bases in
            let peer = PeerConnection(configuration: botConfiguration, seed: seed)
            peer.start(bases: bases, now: .now)
            return peer
        }
        let participant = try await UDPEndpointDriver.start(addresses: [loopback], eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
                                                            onEvent: { participantEvents.record($1) }) { bases in
            let peer = PeerConnection(configuration: participantConfiguration, seed: seed &+ 1)
            peer.start(bases: bases, now: .now)
            return peer
        }
        let offer = try await bot.withEndpoint { $0.createReceiveOnlyOffer(now: .now) }
        let answer = try await participant.withEndpoint { try $0.answer(remoteOffer: offer, now: .now) }
        try await bot.withEndpoint { try $0.setRemoteAnswer(answer, now: .now) }
        return Call(bot: bot, participant: participant, botEvents: botEvents, participantEvents: participantEvents)
    }

    /// Trickles candidates both ways until both ends are connected (DTLS done, SRTP keyed).
    func connect(timeout: Duration = .seconds(20)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let fromBot = Self.candidates(in: botEvents.take())
            let fromParticipant = Self.candidates(in: participantEvents.take())
            try await participant.withEndpoint { peer in for candidate in fromBot { try peer.addRemoteCandidate(candidate, now: .now) } }
            try await bot.withEndpoint { peer in for candidate in fromParticipant { try peer.addRemoteCandidate(candidate, now: .now) } }
            let connected = [try await bot.withEndpoint { $0.stats.dtlsConnected },
                             try await participant.withEndpoint { $0.stats.dtlsConnected }]
            if connected.allSatisfy({ $0 }) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    private static func candidates(in events: [PeerConnectionEvent]) -> [String] {
        events.compactMap { if case .localCandidate(let candidate) = $0 { candidate.sdpValue } else { nil } }
    }

    func stop() async {
        _ = try? await bot.withEndpoint { $0.close(now: .now) }
        _ = try? await participant.withEndpoint { $0.close(now: .now) }
        await bot.close()
        await participant.close()
    }
}

@Suite("One UDP port for many peers, on real sockets", .serialized)
struct SharedUDPPortTests {
    @Test("two peers on one port each complete ICE and DTLS with their own participant")
    func twoPeersOnePort() async throws {
        let number = UInt16(try Coturn.freeUDPPort())
        let port = SharedUDPPorts.port(number)
        let first = try await Call.start(botOn: port)
        let second = try await Call.start(botOn: port)
        #expect(first.bot.bases == [TransportAddress(ip: loopback, port: number)])
        #expect(second.bot.bases == first.bot.bases)
        #expect(try await port.memberCount() == 2)
        async let firstConnected = first.connect()
        async let secondConnected = second.connect()
        let connected = try await (firstConnected, secondConnected)
        #expect(connected == (true, true))
        // Each bot peer paired with its own participant, from the one shared port.
        for call in [first, second] {
            let participantBase = try #require(call.participant.bases.first)
            let pair = try await call.bot.withEndpoint { $0.stats.selectedPair }
            #expect(pair?.hasSuffix("\(participantBase)") == true, "\(pair ?? "none")")
            #expect(pair?.contains(":\(number) ") == true, "\(pair ?? "none")")
        }
        await first.stop()
        await second.stop()
        #expect(try await port.memberCount() == 0)
    }

    @Test("a port another socket holds is refused, not shared")
    func takenPortIsRefused() async throws {
        let holder = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let number = UInt16(try #require(holder.localAddress?.port))
        await #expect(throws: MediaPortBindError.self) {
            _ = try await SharedUDPPorts.port(number).bind([loopback])
        }
        try await holder.close()
        // Once free, the same port binds (the failed attempt left nothing behind).
        #expect(try await SharedUDPPorts.port(number).bind([loopback]) == [TransportAddress(ip: loopback, port: number)])
    }

    @Test("a port range deals new peers out over its ports in turn; a peer relayed through TURN keeps ports of its own")
    func rangeDealsPortsInTurn() throws {
        let low = UInt16(try Coturn.freeUDPPort())
        let choice = UDPPortChoice.sharedRange(low...(low + 1))
        let dealt = (0..<4).map { _ -> UInt16? in
            if case .shared(let port) = choice.sockets(for: IceConfiguration()) { port.port } else { nil }
        }
        #expect(Set(dealt.compactMap { $0 }) == [low, low + 1], "\(dealt)")
        #expect(dealt[0] != dealt[1] && dealt[0] == dealt[2] && dealt[1] == dealt[3], "\(dealt)")
        var relayed = IceConfiguration()
        relayed.turnServers = [TurnServer(address: TransportAddress(ip: loopback, port: 3_478), username: "u", password: "p")]
        guard case .own = choice.sockets(for: relayed) else {
            Issue.record("a TURN peer was put on the shared port")
            return
        }
    }
}
