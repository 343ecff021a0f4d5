import RTC
import Testing

@Suite("PeerConnection: ICE, DTLS and SRTP together over a simulated network")
struct PeerConnectionTests {
    @Test("an offering and an answering peer connect and exchange SRTCP")
    func connects() throws {
        var simulation = try PeerSimulation(network: SimulatedNetwork(seed: 1), seed: 1)
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        #expect(simulation.a.stats.selectedPair != nil)
        #expect(simulation.a.stats.srtpProfile != nil)

        // A receiver report (RFC 3550 §6.4.2, no report blocks) protected by A, decrypted by B.
        let receiverReport: [UInt8] = [0x80, 201, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78]
        try simulation.a.sendRTCP(receiverReport)
        #expect(simulation.run(for: .seconds(1)) { $0.b.stats.rtcpPackets == 1 })
        #expect(simulation.b.stats.authenticationFailures == 0)
    }

    @Test("RTP protected by one peer is decrypted and accounted per stream by the other")
    func rtpIsDecryptedAndAccounted() throws {
        var simulation = try PeerSimulation(network: SimulatedNetwork(seed: 5), seed: 5)
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        // B answered A's receive-only offer; B sends VP8 (payload type 96 in A's offer).
        for sequence in 0..<10 as Range<UInt8> {
            try simulation.b.sendRTP([0x80, 96, 0, sequence, 0, 0, 0, sequence, 0xCA, 0xFE, 0xBA, 0xBE] + [UInt8](repeating: 7, count: 100))
        }
        #expect(simulation.run(for: .seconds(1)) { $0.a.stats.streams.first?.packetsReceived == 10 })
        let stream = try #require(simulation.a.stats.streams.first)
        #expect(stream.ssrc == 0xCAFE_BABE)
        #expect(stream.codec == "VP8")
        #expect(stream.kind == "video")
        #expect(stream.bytesReceived == 10 * 100)  // payload bytes, as WebRTC stats count them
    }

    @Test("a datagram that only carries media leaves the connection needing no service; a gap, RTCP and checks do")
    func mediaAloneNeedsNoService() throws {
        var simulation = try PeerSimulation(network: SimulatedNetwork(seed: 5), seed: 5)
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        let receiver = simulation.a
        // B's datagrams handed to A directly, as a driver would, with A's flag cleared before
        // each (as a driver's service does).
        func deliver(_ send: () throws -> Void) throws -> Bool {
            try send()
            let transmit = try #require(simulation.b.pollAll().transmits.last)
            receiver.serviced()
            var bytes = transmit.bytes
            bytes.withUnsafeMutableBytes { receiver.receive($0, from: transmit.base, on: transmit.destination, now: simulation.now) }
            return receiver.needsService
        }
        func opus(_ sequence: UInt8) -> [UInt8] {
            [0x80, 111, 0, sequence, 0, 0, 3, sequence, 0xAB, 0xCD, 0x00, 0x01, 0xFC] + [UInt8](repeating: 0x55, count: 60)
        }
        // The stream's first packet sets up its feedback; the ones after in order carry media only.
        _ = try deliver { try simulation.b.sendRTP(opus(0)) }
        for sequence in 1..<20 as Range<UInt8> {
            #expect(try deliver { try simulation.b.sendRTP(opus(sequence)) } == false, "packet \(sequence)")
        }
        #expect(receiver.stats.streams.first?.packetsReceived == 20)
        // A gap: the receiver schedules a NACK, an earlier wake-up the driver must arm.
        #expect(try deliver { try simulation.b.sendRTP(opus(25)) } == true)
        // RTCP from the sender.
        #expect(try deliver { try simulation.b.sendRTCP([0x80, 201, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78]) } == true)
        // A connectivity check (consent) from the sender's ICE agent: STUN, answered by A.
        receiver.serviced()
        #expect(simulation.run(for: .seconds(8)) { $0.a.needsService })
        #expect(receiver.stats.authenticationFailures == 0)
    }

    @Test("connects through 10% loss, reordering and duplication, DTLS retransmitting (20 seeds)")
    func connectsThroughImpairment() throws {
        let conditions = SimulatedNetwork.Conditions(delay: .milliseconds(30), jitter: .milliseconds(40), loss: 0.10, duplication: 0.05)
        var lost = 0
        for seed in 1...20 as ClosedRange<UInt64> {
            var simulation = try PeerSimulation(network: SimulatedNetwork(conditions: conditions, seed: seed), seed: seed)
            let connected = simulation.run(for: .seconds(30)) { $0.bothConnected }
            #expect(connected, "seed \(seed): \(simulation.failure(of: 0) ?? "") \(simulation.failure(of: 1) ?? "")")
            lost += simulation.network.lost
        }
        #expect(lost > 20)
    }

    @Test("a fingerprint that does not match the certificate fails the connection with a clear reason")
    func wrongFingerprint() throws {
        // Replace the answer's certificate fingerprint with another one of the same shape.
        let other = try DTLSCertificate(issuedAt: 1_800_000_000).fingerprint.sdpValue
        var simulation = try PeerSimulation(network: SimulatedNetwork(seed: 3), seed: 3) { answer in
            answer.split(separator: "\r\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("a=fingerprint:") ? "a=fingerprint:\(other)" : String($0) }
                .joined(separator: "\r\n")
        }
        #expect(simulation.run(for: .seconds(40)) { $0.failure(of: 0) != nil })
        let reason = try #require(simulation.failure(of: 0))
        #expect(reason.contains("fingerprint"), "\(reason)")
        #expect(!simulation.a.isConnected)
    }

    @Test("malformed remote descriptions and candidates are refused with a reason; TCP candidates are skipped")
    func refusesBadInput() throws {
        let peer = PeerConnection(configuration: PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000)), seed: 9)
        let now = ContinuousClock.now
        #expect(throws: PeerConnectionError.self) { _ = try peer.answer(remoteOffer: "this is not sdp", now: now) }
        #expect(throws: PeerConnectionError.self) { try peer.setRemoteAnswer("v=0\r\n", now: now) }
        #expect(throws: PeerConnectionError.self) { try peer.addRemoteCandidate("candidate:garbage", now: now) }
        // A TCP candidate (GStreamer and browsers gather them) is well formed: skipped, not refused.
        try peer.addRemoteCandidate("candidate:1 1 TCP 1015023871 192.0.2.7 9 typ host tcptype active", now: now)
    }
}

@Suite("PeerConnection renegotiation")
struct PeerConnectionRenegotiationTests {
    @Test("a renegotiation offer with the same credentials keeps the connection and its keys")
    func renegotiationKeepsConnection() throws {
        var simulation = try PeerSimulation(network: SimulatedNetwork(seed: 21), seed: 21)
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        let profile = simulation.a.stats.srtpProfile
        // B (answerer so far) now offers, as a participant adding a track would; A answers.
        let offer = simulation.b.createReceiveOnlyOffer(audio: 1, video: 2, now: simulation.now)
        let answer = try simulation.a.answer(remoteOffer: offer, now: simulation.now)
        try simulation.b.setRemoteAnswer(answer, now: simulation.now)
        #expect(simulation.a.negotiatedSession?.media.count == 3)
        simulation.run(for: .seconds(5)) { _ in false }
        #expect(simulation.bothConnected)
        #expect(simulation.a.stats.srtpProfile == profile)
        try simulation.a.sendRTCP([0x80, 201, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78])
        #expect(simulation.run(for: .seconds(1)) { $0.b.stats.rtcpPackets >= 1 })
    }

    @Test("glare: our offer is rolled back when the peer's offer arrives, and the call connects")
    func glareRollsBackOurOffer() throws {
        let now = ContinuousClock.now
        let bot = PeerConnection(configuration: PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000)), seed: 31)
        let participant = PeerConnection(configuration: PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000)), seed: 32)
        _ = bot.createReceiveOnlyOffer(now: now)
        let theirs = participant.createReceiveOnlyOffer(now: now)
        // The bot is polite: it answers theirs and forgets its own.
        let answer = try bot.answer(remoteOffer: theirs, now: now)
        try participant.setRemoteAnswer(answer, now: now)
        #expect(throws: PeerConnectionError.self) { try bot.setRemoteAnswer(answer, now: now) }
        #expect(bot.negotiatedSession != nil)
    }

    @Test("an offer with new ICE credentials restarts ICE, and the answer carries new ones")
    func iceRestart() throws {
        var simulation = try PeerSimulation(network: SimulatedNetwork(seed: 41), seed: 41)
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        // A's own ufrag, as B learned it from A's offer.
        let before = try #require(simulation.b.negotiatedSession?.remoteTransport?.iceUfrag)
        // A fresh PeerConnection's offer has other credentials: use its ufrag/pwd lines in B's offer.
        let stranger = PeerConnection(configuration: PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000)), seed: 99)
        let strangerLines = stranger.createReceiveOnlyOffer(now: simulation.now).split(separator: "\r\n")
        let newUfrag = try #require(strangerLines.first { $0.hasPrefix("a=ice-ufrag:") })
        let newPwd = try #require(strangerLines.first { $0.hasPrefix("a=ice-pwd:") })
        let restartOffer = simulation.b.createReceiveOnlyOffer(now: simulation.now).split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("a=ice-ufrag:") ? newUfrag : $0.hasPrefix("a=ice-pwd:") ? newPwd : $0 }
            .joined(separator: "\r\n")
        let answer = try simulation.a.answer(remoteOffer: String(restartOffer), now: simulation.now)
        let answerUfrag = answer.split(separator: "\r\n").first { $0.hasPrefix("a=ice-ufrag:") }.map { String($0.dropFirst(12)) }
        #expect(answerUfrag != nil)
        #expect(answerUfrag != before)
        #expect(simulation.a.stats.iceState == .checking)
    }
}
