import NIOCore
import NIOPosix
import RTC
import RTCNIO
import Testing

/// A's TURN server reached over TCP or TLS (a real coturn on loopback); B, a plain agent,
/// reaches A's relay over UDP as a browser would.
@Suite("TURN over TCP and TLS with a real coturn", .serialized)
struct TurnStreamDriverTests {
    private func configuration(_ coturn: Coturn, _ transport: TurnTransport, relayOnly: Bool = true) -> IceConfiguration {
        var configuration = IceConfiguration()
        configuration.relayOnly = relayOnly
        let port = if case .tls = transport { coturn.tlsPort } else { coturn.port }
        configuration.turnServers = [TurnServer(address: TransportAddress(ip: IPAddress("127.0.0.1")!, port: UInt16(port)),
                                                username: coturn.username, password: coturn.password, transport: transport)]
        return configuration
    }

    private func connectsRelayOnly(over transport: TurnTransport, coturn: Coturn) async throws {
        let pair = try await IcePair.start(configurationA: configuration(coturn, transport))
        let connected = try await pair.run(until: .connected)
        let failure = try await pair.a.withEndpoint { $0.failureReason }
        #expect(connected, "\(failure ?? "") \(coturn.log.suffix(2_000))")
        let selected = try await pair.a.withEndpoint { $0.agent.selectedPair }
        #expect(selected?.local.kind == .relay)
        #expect(Coturn.relayPorts.contains(Int(selected?.local.address.port ?? 0)))
        let seenByB = try await pair.b.withEndpoint { $0.agent.selectedPair?.remote.address }
        #expect(seenByB == selected?.local.address)
        await pair.stop()
    }

    @Test("relay-only over TCP: Allocate, permissions and Send/Data framed on the connection")
    func relayOnlyOverTCP() async throws {
        let coturn = try Coturn()
        defer { coturn.stop() }
        try await connectsRelayOnly(over: .tcp, coturn: coturn)
    }

    @Test("relay-only over TLS, the server's self-signed certificate trusted as its own CA")
    func relayOnlyOverTLS() async throws {
        let certificate = try SelfSignedCertificate()
        defer { certificate.remove() }
        let coturn = try Coturn(certificate: certificate)
        defer { coturn.stop() }
        try await connectsRelayOnly(over: .tls(TurnTLS(serverName: "127.0.0.1", trustedCAFile: certificate.certificateFile)),
                                    coturn: coturn)
    }

    @Test("an untrusted certificate fails the relay, and relay-only ICE, naming certificate verification")
    func untrustedCertificate() async throws {
        let certificate = try SelfSignedCertificate()
        defer { certificate.remove() }
        let coturn = try Coturn(certificate: certificate)
        defer { coturn.stop() }
        let pair = try await IcePair.start(configurationA: configuration(coturn, .tls(TurnTLS(serverName: "127.0.0.1"))))
        #expect(try await pair.run(until: .connected, timeout: .seconds(10)) == false)
        let failure = try await pair.a.withEndpoint { $0.failureReason } ?? "no failure"
        #expect(failure.contains("certificate verification failed"), "\(failure)")
        #expect(failure.contains("127.0.0.1:\(coturn.tlsPort)"), "\(failure)")
        let relayUnavailable = try await pair.a.withEndpoint { endpoint in
            endpoint.events.contains { if case .relayUnavailable = $0 { true } else { false } }
        }
        #expect(relayUnavailable)
        await pair.stop()
    }

    @Test("relay-only over TLS to a server named in the URL: SNI sent, the certificate's DNS name verified")
    func relayOnlyOverTLSByName() async throws {
        let certificate = try SelfSignedCertificate(subjectAlternativeName: "DNS:turn.test")
        defer { certificate.remove() }
        let coturn = try Coturn(certificate: certificate)
        defer { coturn.stop() }
        try await connectsRelayOnly(over: .tls(TurnTLS(serverName: "turn.test", trustedCAFile: certificate.certificateFile)),
                                    coturn: coturn)
    }

    @Test("a certificate for another name fails verification")
    func wrongName() async throws {
        let certificate = try SelfSignedCertificate(subjectAlternativeName: "DNS:turn.test")
        defer { certificate.remove() }
        let coturn = try Coturn(certificate: certificate)
        defer { coturn.stop() }
        let tls = TurnTLS(serverName: "turn.example.org", trustedCAFile: certificate.certificateFile)
        let pair = try await IcePair.start(configurationA: configuration(coturn, .tls(tls)))
        #expect(try await pair.run(until: .connected, timeout: .seconds(10)) == false)
        let failure = try await pair.a.withEndpoint { $0.failureReason } ?? "no failure"
        #expect(failure.contains("does not name turn.example.org"), "\(failure)")
        await pair.stop()
    }

    @Test("the mapped address of a TCP allocation is no server-reflexive candidate; the relay is announced")
    func noServerReflexiveFromTCP() async throws {
        let coturn = try Coturn()
        defer { coturn.stop() }
        let pair = try await IcePair.start(configurationA: configuration(coturn, .tcp, relayOnly: false))
        let deadline = ContinuousClock.now + .seconds(10)
        var kinds: [Candidate.Kind] = []
        while ContinuousClock.now < deadline {
            let (complete, gathered) = try await pair.a.withEndpoint { endpoint in
                endpoint.drainEvents()
                return (endpoint.events.contains(.gatheringComplete), endpoint.agent.gatheredCandidates.map(\.kind))
            }
            kinds = gathered
            if complete { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(kinds.contains(.host) && kinds.contains(.relay), "\(kinds)")
        #expect(!kinds.contains(.srflx), "\(kinds)")
        await pair.stop()
    }

    @Test("a server that speaks something else than TURN: the connection closes, the relay fails with why")
    func notTurn() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(GreetsLikeSSH()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        var configuration = IceConfiguration()
        configuration.relayOnly = true
        configuration.turnServers = [TurnServer(address: TransportAddress(ip: IPAddress("127.0.0.1")!, port: UInt16(server.localAddress!.port!)),
                                                username: "u", password: "p", transport: .tcp)]
        let pair = try await IcePair.start(configurationA: configuration)
        #expect(try await pair.run(until: .connected, timeout: .seconds(5)) == false)
        let failure = try await pair.a.withEndpoint { $0.failureReason } ?? "no failure"
        #expect(failure.contains("not a TURN stream") && failure.contains("reserved channel"), "\(failure)")
        await pair.stop()
        try await server.close()
    }

    @Test("the TURN connection dropping fails the relayed pair at once, saying so")
    func droppedConnection() async throws {
        let coturn = try Coturn()
        let pair = try await IcePair.start(configurationA: configuration(coturn, .tcp))
        #expect(try await pair.run(until: .connected))
        coturn.stop()
        let deadline = ContinuousClock.now + .seconds(5)
        var failure: String?
        while ContinuousClock.now < deadline, failure == nil {
            failure = try await pair.a.withEndpoint { $0.failureReason }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(failure?.contains("TURN tcp connection to 127.0.0.1:\(coturn.port) closed") == true, "\(failure ?? "no failure")")
        await pair.stop()
    }
}

/// A TCP server that greets as an SSH server does, whatever the client says.
private final class GreetsLikeSSH: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: "SSH-2.0-OpenSSH_9.2\r\n")), promise: nil)
        context.fireChannelActive()
    }
}
