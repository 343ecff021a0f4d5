import Testing
@testable import RTC

@Suite("DTLS transport: handshake, keys, loss, close")
struct DTLSTransportTests {
    static let certificatePairs: [(String, DTLSCertificate, DTLSCertificate)] = [
        ("ECDSA client, ECDSA server", DTLSTestCertificates.ecdsa, DTLSTestCertificates.otherECDSA),
        ("ECDSA client, RSA server", DTLSTestCertificates.ecdsa, DTLSTestCertificates.rsa),
        ("RSA client, ECDSA server", DTLSTestCertificates.rsa, DTLSTestCertificates.ecdsa),
    ]

    @Test("handshake connects and both sides export the same SRTP keys", arguments: 0..<3)
    func handshakeExportsMatchingKeys(pair: Int) throws {
        let (name, clientCertificate, serverCertificate) = Self.certificatePairs[pair]
        var harness = try DTLSHandshakeHarness(clientCertificate: clientCertificate, serverCertificate: serverCertificate)
        harness.run()

        let client = try #require(harness.client.state.keyingMaterial, "\(name): client \(harness.client.state)")
        let server = try #require(harness.server.state.keyingMaterial, "\(name): server \(harness.server.state)")
        #expect(client.profile == server.profile)
        #expect(client.profile == .aeadAes128Gcm, "both offer GCM first")
        #expect(client.clientWrite == server.clientWrite)
        #expect(client.serverWrite == server.serverWrite)
        #expect(client.clientWrite != client.serverWrite)
        #expect(client.local == server.remote)
        #expect(client.remote == server.local)
        #expect(client.local == client.clientWrite && server.local == server.serverWrite)
        #expect(client.local.key.count == 16 && client.local.salt.count == 12)
        #expect(harness.client.nextTimeout == nil && harness.server.nextTimeout == nil)
        #expect(harness.sent.allSatisfy { !$0.lost })
    }

    @Test("each SRTP profile is negotiated when it is the only one offered, with its key lengths",
          arguments: SRTPProtectionProfile.allCases)
    func negotiatesEachProfile(profile: SRTPProtectionProfile) throws {
        let (client, server) = try handshakeKeyingMaterial(profile: profile)
        #expect(client.profile == profile && server.profile == profile)
        #expect(client.local.key.count == profile.masterKeyLength)
        #expect(client.local.salt.count == profile.masterSaltLength)
        #expect(client.clientWrite == server.clientWrite && client.serverWrite == server.serverWrite)
    }

    @Test("the server picks a profile both offer")
    func negotiatesCommonProfile() throws {
        var harness = try DTLSHandshakeHarness(clientProfiles: [.aes128CmHmacSha1_80, .aeadAes128Gcm],
                                               serverProfiles: [.aes128CmHmacSha1_80])
        harness.run()
        #expect(harness.client.state.keyingMaterial?.profile == .aes128CmHmacSha1_80)
        #expect(harness.server.state.keyingMaterial?.profile == .aes128CmHmacSha1_80)
    }

    @Test("no common SRTP profile fails the handshake")
    func noCommonProfileFails() throws {
        var harness = try DTLSHandshakeHarness(clientProfiles: [.aeadAes128Gcm], serverProfiles: [.aes128CmHmacSha1_80])
        harness.run()
        #expect(harness.client.state.keyingMaterial == nil)
        #expect(harness.client.state.isTerminal)
        #expect(harness.server.state.keyingMaterial == nil)
    }

    @Test("a wrong remote fingerprint fails with a reason naming both fingerprints")
    func wrongFingerprintFails() throws {
        let expected = DTLSTestCertificates.rsa.fingerprint
        var harness = try DTLSHandshakeHarness(clientExpects: [expected])
        harness.run()

        let presented = DTLSTestCertificates.otherECDSA.fingerprint
        let reason = try #require(harness.client.state.failureReason)
        #expect(reason == "DTLS peer certificate fingerprint \(presented.sdpValue) does not match the SDP's \(expected.sdpValue)")
        // The client's close_notify tells the server at once.
        #expect(harness.server.state == .closed)
    }

    @Test("the fingerprint may use another hash function, and any listed fingerprint matches")
    func otherHashFunctionsAndSeveralFingerprints() throws {
        let server = DTLSTestCertificates.otherECDSA
        for algorithm in DTLSFingerprint.Algorithm.allCases {
            var harness = try DTLSHandshakeHarness(
                clientExpects: [DTLSTestCertificates.rsa.fingerprint(using: algorithm), server.fingerprint(using: algorithm)])
            harness.run()
            #expect(harness.client.state.keyingMaterial != nil, "\(algorithm)")
        }
    }

    @Test("the server checks the client's certificate too")
    func serverChecksClientFingerprint() throws {
        var harness = try DTLSHandshakeHarness(serverExpects: [DTLSTestCertificates.rsa.fingerprint])
        harness.run()
        #expect(harness.server.state.failureReason?.hasPrefix("DTLS peer certificate fingerprint sha-256 ") == true)
        #expect(harness.client.state.keyingMaterial == nil)
    }

    @Test("a transport needs at least one remote fingerprint and one SRTP profile")
    func setupRequiresFingerprintAndProfile() {
        #expect(throws: DTLSSetupError.self) {
            try DTLSTransport(role: .client, certificate: DTLSTestCertificates.ecdsa, remoteFingerprints: [])
        }
        #expect(throws: DTLSSetupError.self) {
            try DTLSTransport(role: .client, certificate: DTLSTestCertificates.ecdsa,
                              remoteFingerprints: [DTLSTestCertificates.rsa.fingerprint], srtpProfiles: [])
        }
    }

    // MARK: Loss and timers

    @Test("the handshake completes with the first flight and 30% of datagrams lost", arguments: 1...20)
    func handshakeSurvivesLoss(seed: UInt64) throws {
        var harness = try DTLSHandshakeHarness()
        harness.random = FuzzRandom(seed: seed)
        harness.loss = { random, side, ordinal in
            (side == .client && ordinal == 0) || Double.random(in: 0..<1, using: &random) < 0.3
        }
        harness.run()

        #expect(harness.client.state.keyingMaterial != nil, "seed \(seed): client \(harness.client.state)")
        #expect(harness.server.state.keyingMaterial != nil, "seed \(seed): server \(harness.server.state)")
        #expect(harness.client.state.keyingMaterial?.clientWrite == harness.server.state.keyingMaterial?.clientWrite)
        #expect(harness.sent.first?.lost == true)
        #expect(harness.elapsed < .seconds(30))
    }

    @Test("a lost first flight is retransmitted by the timeout itself, before the output is drained")
    func retransmissionIsQueuedByHandleTimeout() throws {
        var harness = try DTLSHandshakeHarness()
        let client = harness.client
        client.start(now: harness.now)
        let hello = try #require(client.pollTransmit())
        #expect(client.pollTransmit() == nil)
        #expect(client.nextTimeout == harness.start + .milliseconds(500))

        harness.advance(by: .milliseconds(499))
        client.handleTimeout(now: harness.now)
        #expect(client.pollTransmit() == nil, "not due yet")

        harness.advance(by: .milliseconds(1))
        client.handleTimeout(now: harness.now)
        let again = try #require(client.pollTransmit(), "the retransmission waits in the queue for this drain")
        let first = try #require(DTLSRecordView.records(in: hello)?.first)
        let second = try #require(DTLSRecordView.records(in: again)?.first)
        #expect(first.contentType == 22 && first.firstFragmentByte == 1, "ClientHello")
        #expect(second.contentType == 22 && second.firstFragmentByte == 1)
        #expect(second.sequenceNumber > first.sequenceNumber)
        #expect(client.nextTimeout == harness.start + .milliseconds(1_500), "the interval doubles")

        // Time running backwards changes nothing.
        client.handleTimeout(now: harness.start)
        #expect(client.pollTransmit() == nil)
    }

    @Test("with every datagram lost the handshake fails after 30 s, retransmitting at doubling intervals up to 4 s")
    func handshakeTimesOut() throws {
        var harness = try DTLSHandshakeHarness()
        harness.loss = { _, _, _ in true }
        harness.run()

        #expect(harness.client.state == .failed(reason: "DTLS handshake timed out after 30 s"))
        #expect(harness.server.state == .failed(reason: "DTLS handshake timed out after 30 s"))
        #expect(harness.elapsed == .seconds(30))
        let clientTimes = harness.sent.filter { $0.side == .client }.map(\.at)
        let expected: [Duration] = [0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500].map { .milliseconds($0) }
        #expect(clientTimes == expected)
        #expect(harness.client.nextTimeout == nil)
    }

    @Test("OpenSSL's own clock still drives a handshake where it cannot be expired from outside")
    func openSSLClockMode() throws {
        var harness = try DTLSHandshakeHarness(timerMode: .openSSLClock)
        harness.run()
        #expect(harness.client.state.keyingMaterial != nil)
        #expect(harness.server.state.keyingMaterial != nil)
    }

    // MARK: Datagrams on the wire

    @Test("every datagram fits the MTU and holds whole DTLS 1.2 records", arguments: [1_200, 300])
    func datagramsAreWholeRecords(mtu: Int) throws {
        for (name, clientCertificate, serverCertificate) in Self.certificatePairs {
            var harness = try DTLSHandshakeHarness(clientCertificate: clientCertificate,
                                                   serverCertificate: serverCertificate, mtu: mtu)
            harness.random = FuzzRandom(seed: UInt64(mtu))
            harness.loss = { random, _, _ in Double.random(in: 0..<1, using: &random) < 0.2 }
            harness.run()
            #expect(harness.client.state.keyingMaterial != nil, "\(name), MTU \(mtu)")
            harness.client.close()
            harness.deliver(from: .client)

            for datagram in harness.sent {
                #expect(datagram.bytes.count <= mtu, "\(name): \(datagram.bytes.count) bytes")
                let records = try #require(DTLSRecordView.records(in: datagram.bytes), "\(name): not whole records")
                for record in records {
                    #expect((20...23).contains(record.contentType))
                    #expect(record.version == 0xFEFD || record.version == 0xFEFF)
                }
            }
            if mtu == 300 {
                // The certificate flight had to be fragmented to fit.
                #expect(harness.sent.filter { $0.side == .server }.count > 5)
            }
        }
    }

    // MARK: Closing

    @Test("close sends close_notify and the peer sees the transport closed")
    func closeNotify() throws {
        var harness = try DTLSHandshakeHarness()
        harness.run()
        try #require(harness.server.state.keyingMaterial != nil)

        harness.client.close()
        #expect(harness.client.state == .closed)
        let alert = try #require(harness.client.pollTransmit())
        let record = try #require(DTLSRecordView.records(in: alert)?.first)
        #expect(record.contentType == 21 && record.epoch == 1, "an encrypted alert")
        harness.server.handle(datagram: alert, now: harness.now)
        #expect(harness.server.state == .closed)
        // The server answers with its own close_notify.
        #expect(harness.server.pollTransmit() != nil)

        harness.client.close()
        #expect(harness.client.pollTransmit() == nil, "closing twice sends nothing more")
    }

    @Test("closing during the handshake ends the transport without a timer")
    func closeDuringHandshake() throws {
        let harness = try DTLSHandshakeHarness()
        harness.client.start(now: harness.now)
        harness.client.close()
        #expect(harness.client.state == .closed)
        #expect(harness.client.nextTimeout == nil)
    }

    @Test("a protected record too short for its cipher is dropped, not a fatal error", arguments: [.zero, 1, 15, 16, 23, 24, 40])
    func shortProtectedRecordIsDropped(length: Int) throws {
        var harness = try DTLSHandshakeHarness()
        harness.run()
        let keys = try #require(harness.server.state.keyingMaterial)
        harness.client.close()
        let closeNotify = try #require(harness.client.pollTransmit())
        // The close_notify's header (epoch 1) in front of `length` bytes of garbage.
        var forged = Array(closeNotify.prefix(DTLSRecordHeader.length)) + (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        forged[11] = UInt8(length >> 8)
        forged[12] = UInt8(length & 0xFF)
        harness.server.handle(datagram: forged, now: harness.now)
        #expect(harness.server.state == .connected(keys))
        harness.server.handle(datagram: closeNotify, now: harness.now)
        #expect(harness.server.state == .closed)
    }

    @Test("application data after the handshake is dropped and the connection stays up")
    func applicationDataIsIgnored() throws {
        var harness = try DTLSHandshakeHarness()
        harness.run()
        let keys = try #require(harness.server.state.keyingMaterial)
        // A retransmitted final flight from the client must not disturb the server either.
        for datagram in harness.sent where datagram.side == .client {
            harness.server.handle(datagram: datagram.bytes, now: harness.now)
        }
        #expect(harness.server.state == .connected(keys))
    }
}

@Suite("DTLS record handling")
struct DTLSRecordHandlingTests {
    static func record(type: UInt8 = 22, epoch: UInt16 = 0, length: Int) -> [UInt8] {
        [type, 0xFE, 0xFD, UInt8(epoch >> 8), UInt8(epoch & 0xFF), 0, 0, 0, 0, 0, 1, UInt8(length >> 8), UInt8(length & 0xFF)]
            + [UInt8](repeating: 0xAB, count: length)
    }

    @Test("a write larger than the MTU is cut at record boundaries")
    func splitter() {
        let records = [Self.record(length: 100), Self.record(length: 150), Self.record(type: 20, length: 1),
                       Self.record(epoch: 1, length: 48)]
        let joined = records.flatMap(\.self)
        #expect(DTLSDatagramSplitter.split(joined, maximumSize: 400) == [joined])
        let parts = DTLSDatagramSplitter.split(joined, maximumSize: 300)
        #expect(parts == [records[0] + records[1] + records[2], records[3]])
        #expect(DTLSDatagramSplitter.split(joined, maximumSize: 100) == [records[0], records[1], records[2] + records[3]],
                "a record larger than the MTU goes alone, whole")
    }

    @Test("only whole DTLS records reach OpenSSL")
    func inboundScreen() {
        func accepts(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBytes { DTLSInboundScreen.accepts($0, minimumProtectedRecordLength: 24) }
        }
        #expect(accepts(Self.record(length: 10) + Self.record(epoch: 1, length: 24)))
        #expect(!accepts([]))
        #expect(!accepts(Array(Self.record(length: 10).dropLast())), "truncated")
        #expect(!accepts(Self.record(length: 10) + [22, 0xFE]), "a partial header after a record")
        #expect(!accepts(Self.record(type: 24, length: 4)), "heartbeat and unknown content types")
        var tlsVersion = Self.record(length: 4)
        tlsVersion[1] = 0x03
        #expect(!accepts(tlsVersion))
        #expect(!accepts(Self.record(epoch: 1, length: 23)), "too short to carry a tag")
        #expect(accepts(Self.record(epoch: 0, length: 0)))
    }
}

@Suite("DTLS certificate and fingerprint")
struct DTLSCertificateTests {
    @Test("the certificate's SHA-256 fingerprint is 32 bytes in the SDP form")
    func fingerprintForm() {
        let fingerprint = DTLSTestCertificates.ecdsa.fingerprint
        #expect(fingerprint.algorithm == .sha256)
        #expect(fingerprint.digest.count == 32)
        let text = fingerprint.sdpValue
        #expect(text.hasPrefix("sha-256 "))
        #expect(text.count == "sha-256 ".count + 32 * 3 - 1)
        #expect(text.dropFirst(8).allSatisfy { $0 == ":" || $0.isNumber || ("A"..."F").contains($0) })
        #expect(DTLSFingerprint(sdpValue: text) == fingerprint)
    }

    @Test("certificates differ, and other hash functions give digests of their length")
    func fingerprintsDiffer() {
        #expect(DTLSTestCertificates.ecdsa.fingerprint != DTLSTestCertificates.otherECDSA.fingerprint)
        #expect(DTLSTestCertificates.rsa.keyType == .rsa2048)
        for algorithm in DTLSFingerprint.Algorithm.allCases {
            #expect(DTLSTestCertificates.rsa.fingerprint(using: algorithm).digest.count == algorithm.digestLength)
        }
    }

    @Test("SDP fingerprints parse leniently and refuse what is not one")
    func parsing() {
        let upper = DTLSFingerprint(sdpValue: "SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB")
        #expect(upper?.algorithm == .sha1)
        #expect(upper?.sdpValue == "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB")
        #expect(DTLSFingerprint(sdpValue: "sha-1 4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:19:e5:7c:ab") == upper)
        #expect(DTLSFingerprint(sdpValue: "md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B") == nil)
        #expect(DTLSFingerprint(sdpValue: "sha-1 4A:AD") == nil)
        #expect(DTLSFingerprint(sdpValue: "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:GG") == nil)
        #expect(DTLSFingerprint(sdpValue: "sha-1 4AAD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:") == nil)
        // A sign is not a hex digit, though `UInt8(_:radix:)` would read "+A" as 10.
        #expect(DTLSFingerprint(sdpValue: "sha-1 +A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB") == nil)
        #expect(DTLSFingerprint(sdpValue: "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB extra") == nil)
        #expect(DTLSFingerprint(sdpValue: "") == nil)
    }
}
