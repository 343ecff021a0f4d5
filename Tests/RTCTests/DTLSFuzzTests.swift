import Testing
@testable import RTC

@Suite("DTLS transport under fuzzed input")
struct DTLSFuzzTests {
    /// The datagrams of one real handshake, as mutation seeds.
    static func recordedHandshake() throws -> (client: [[UInt8]], server: [[UInt8]]) {
        var harness = try DTLSHandshakeHarness()
        harness.run()
        harness.client.close()
        harness.deliver(from: .client)
        let client = harness.sent.filter { $0.side == .client }.map(\.bytes)
        let server = harness.sent.filter { $0.side == .server }.map(\.bytes)
        return (client, server)
    }

    /// A transport with the harness's certificates: the client uses `ecdsa`, the server `otherECDSA`.
    static func newTransport(_ role: DTLSRole) throws -> DTLSTransport {
        let (ours, theirs) = role == .client
            ? (DTLSTestCertificates.ecdsa, DTLSTestCertificates.otherECDSA)
            : (DTLSTestCertificates.otherECDSA, DTLSTestCertificates.ecdsa)
        return try DTLSTransport(role: role, certificate: ours, remoteFingerprints: [theirs.fingerprint])
    }

    /// Drains what a transport wants to send and checks it is still well formed.
    static func drain(_ transport: DTLSTransport) {
        while let datagram = transport.pollTransmit() {
            #expect(datagram.count <= transport.mtu)
            #expect(DTLSRecordView.records(in: datagram) != nil)
        }
    }

    @Test("mutated client flights never crash a server")
    func mutatedClientFlights() throws {
        let (clientDatagrams, _) = try Self.recordedHandshake()
        var random = FuzzRandom(seed: 0xD715_0001)
        let start = ContinuousClock.now
        for iteration in 0..<400 {
            let server = try Self.newTransport(.server)
            let now = start + .milliseconds(iteration)
            for datagram in clientDatagrams.prefix(Int.random(in: 1...clientDatagrams.count, using: &random)) {
                let input = Bool.random(using: &random) ? mutatedDatagram(datagram, using: &random) : datagram
                server.handle(datagram: input, now: now)
                Self.drain(server)
            }
            server.handleTimeout(now: now + .seconds(31))
            Self.drain(server)
            // The recorded client flight finishes a different handshake: the server must not connect.
            #expect(server.state.keyingMaterial == nil)
        }
    }

    @Test("mutated server flights never crash a client")
    func mutatedServerFlights() throws {
        let (_, serverDatagrams) = try Self.recordedHandshake()
        var random = FuzzRandom(seed: 0xD715_0002)
        let start = ContinuousClock.now
        for iteration in 0..<300 {
            let client = try Self.newTransport(.client)
            let now = start + .milliseconds(iteration)
            client.start(now: now)
            Self.drain(client)
            for datagram in serverDatagrams {
                client.handle(datagram: mutatedDatagram(datagram, using: &random), now: now)
                Self.drain(client)
            }
            // A recorded flight answers a different ClientHello: the client must not connect.
            #expect(client.state.keyingMaterial == nil)
        }
    }

    @Test("mutated and random datagrams after the handshake neither crash nor end a connected transport")
    func mutatedAfterHandshake() throws {
        let (clientDatagrams, serverDatagrams) = try Self.recordedHandshake()
        let seeds = clientDatagrams + serverDatagrams
        var random = FuzzRandom(seed: 0xD715_0003)
        var harness = try DTLSHandshakeHarness()
        harness.run()
        let keys = (try #require(harness.client.state.keyingMaterial), try #require(harness.server.state.keyingMaterial))
        for iteration in 0..<600 {
            let target = iteration.isMultiple(of: 2) ? harness.server : harness.client
            let seed = seeds[Int.random(in: 0..<seeds.count, using: &random)]
            target.handle(datagram: mutatedDatagram(seed, using: &random), now: harness.now)
            Self.drain(target)
        }
        // Forged or corrupted records are discarded (RFC 6347 §4.1.2.7); the keys stand.
        #expect(harness.client.state == .connected(keys.0))
        #expect(harness.server.state == .connected(keys.1))
        harness.client.close()
        harness.deliver(from: .client)
        #expect(harness.server.state == .closed, "and a genuine close_notify still gets through")
    }
}
