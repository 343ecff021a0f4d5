import NIOCore
import NIOPosix
import RTC
import RTCNIO
import Testing

private let loopback = IPAddress("127.0.0.1")!

/// A free TCP port on loopback (bound, read, closed).
private func freeTCPPort() async throws -> UInt16 {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
    let port = UInt16(channel.localAddress?.port ?? 0)
    try await channel.close()
    return port
}

/// A connection to the ICE-TCP port as a browser opens it, driven by hand: frames written,
/// bytes read until the server closes.
private struct RawConnection {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    static func open(port: UInt16) async throws -> RawConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: Int(port)) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return RawConnection(channel: channel)
    }

    /// Writes `bytes`, then reads until `enough` says so or the server closes; returns what
    /// was read and whether the server closed.
    func exchange(_ bytes: [UInt8], until enough: @escaping @Sendable ([UInt8]) -> Bool = { _ in false })
        async throws -> (read: [UInt8], closed: Bool) {
        try await channel.executeThenClose { inbound, outbound in
            if !bytes.isEmpty { try await outbound.write(ByteBuffer(bytes: bytes)) }
            var read: [UInt8] = []
            for try await buffer in inbound {
                read += Array(buffer.readableBytesView)
                if enough(read) { return (read, false) }
            }
            return (read, true)
        }
    }
}

@Suite("ICE-TCP on the shared port's TCP listener, on real sockets", .serialized)
struct PassiveTCPPortTests {
    /// A bot peer on a shared port with a TCP listener; returns it with its ICE ufrag and password
    /// and the events it pushes.
    private static func bot(on port: SharedUDPPort)
        async throws -> (UDPEndpointDriver<PeerConnection>, IceCredentials, EventInbox<PeerConnectionEvent>) {
        let configuration = PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000))
        let inbox = EventInbox<PeerConnectionEvent>()
        let driver = try await UDPEndpointDriver.start(on: port, addresses: [loopback], onEvent: { inbox.record($1) }) { bases in
            let peer = PeerConnection(configuration: configuration, seed: 7)
            peer.start(bases: bases, now: .now)
            return peer
        }
        let offer = try await driver.withEndpoint { $0.createReceiveOnlyOffer(now: .now) }
        func attribute(_ name: String) throws -> String {
            let line = try #require(offer.split(separator: "\r\n").first { $0.hasPrefix("a=\(name):") })
            return String(line.dropFirst(name.count + 3))
        }
        return (driver, IceCredentials(ufrag: try attribute("ice-ufrag"), password: try attribute("ice-pwd")), inbox)
    }

    private static func framedCheck(to bot: IceCredentials, ufrag: String? = nil) -> [UInt8] {
        var random = SeededRandom(seed: 1)
        let check = StunMessage(type: StunMessageType(method: .binding, class: .request), transactionID: .random(using: &random),
                                attributes: [.username("\(ufrag ?? bot.ufrag):brwu"), .priority(1_518_214_911),
                                             .iceControlled(tieBreaker: 1)])  // the bot offered: it controls
            .encoded(integrityKey: StunCredentials.shortTermKey(password: bot.password))
        return FramedPacketWriter.frame(check)!
    }

    /// The first whole frame in `bytes`, if any.
    private static func firstFrame(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 2 else { return nil }
        let length = Int(bytes[0]) << 8 | Int(bytes[1])
        return bytes.count >= 2 + length ? Array(bytes[2 ..< 2 + length]) : nil
    }

    @Test("a peer signals a passive TCP candidate on the port; a connection checking its ufrag is answered on it")
    func answersCheck() async throws {
        let tcpPort = try await freeTCPPort()
        let port = SharedUDPPorts.port(UInt16(try Coturn.freeUDPPort()), passiveTCPPort: tcpPort)
        let (bot, credentials, events) = try await Self.bot(on: port)
        let candidates = events.take().compactMap { if case .localCandidate(let candidate) = $0 { candidate } else { nil } }
        let tcp = try #require(candidates.first { $0.isTCP })
        #expect(tcp.sdpValue.contains("tcp \(tcp.priority) 127.0.0.1 \(tcpPort) typ host tcptype passive"))

        let connection = try await RawConnection.open(port: tcpPort)
        let (read, closed) = try await connection.exchange(Self.framedCheck(to: credentials)) { Self.firstFrame($0) != nil }
        #expect(!closed)
        let response = try StunMessage(decoding: try #require(Self.firstFrame(read)))
        #expect(response.type == StunMessageType(method: .binding, class: .successResponse))
        #expect(response.hasValidIntegrity(key: StunCredentials.shortTermKey(password: credentials.password)))
        _ = try await bot.withEndpoint { $0.close(now: .now) }
        await bot.close()
    }

    @Test("connections whose first frame is not a check for a peer on the port are closed")
    func closesStrangers() async throws {
        let tcpPort = try await freeTCPPort()
        let port = SharedUDPPorts.port(UInt16(try Coturn.freeUDPPort()), passiveTCPPort: tcpPort)
        let (bot, credentials, _) = try await Self.bot(on: port)
        let strangers: [(String, [UInt8])] = [
            ("a check for an unknown ufrag", Self.framedCheck(to: credentials, ufrag: "nobody")),
            ("DTLS before any check", FramedPacketWriter.frame([22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])!),
            ("not ICE-TCP at all", Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
        ]
        for (what, bytes) in strangers {
            let connection = try await RawConnection.open(port: tcpPort)
            let (read, closed) = try await connection.exchange(bytes)
            #expect(closed, "\(what)")
            #expect(read.isEmpty, "\(what)")
        }
        // The port still serves its peer.
        let connection = try await RawConnection.open(port: tcpPort)
        #expect(try await connection.exchange(Self.framedCheck(to: credentials)) { Self.firstFrame($0) != nil }.closed == false)
        _ = try await bot.withEndpoint { $0.close(now: .now) }
        await bot.close()
    }

    @Test("a connection that says nothing is closed after a few seconds")
    func closesSilentConnections() async throws {
        let tcpPort = try await freeTCPPort()
        let port = SharedUDPPorts.port(UInt16(try Coturn.freeUDPPort()), passiveTCPPort: tcpPort)
        _ = try await port.listenPassiveTCP([loopback])
        let opened = ContinuousClock.now
        let connection = try await RawConnection.open(port: tcpPort)
        #expect(try await connection.exchange([]).closed)
        let waited = ContinuousClock.now - opened
        #expect(waited >= .seconds(4) && waited < .seconds(8), "\(waited)")
    }

    @Test("at most 32 connections wait for a first check: the next is closed at once, and counted")
    func capsUnclaimedConnections() async throws {
        let tcpPort = try await freeTCPPort()
        let port = SharedUDPPorts.port(UInt16(try Coturn.freeUDPPort()), passiveTCPPort: tcpPort)
        _ = try await port.listenPassiveTCP([loopback])
        var waiting: [any Channel] = []
        for _ in 0..<32 {
            waiting.append(try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: Int(tcpPort)).get())
        }
        // Accepted in order on the port's loop: the 33rd finds 32 waiting.
        let opened = ContinuousClock.now
        let extra = try await RawConnection.open(port: tcpPort)
        #expect(try await extra.exchange([]).closed)
        #expect(ContinuousClock.now - opened < .seconds(3))
        #expect(try await port.refusedTCPConnections() == 1)
        for channel in waiting { try await channel.close() }
    }
}
