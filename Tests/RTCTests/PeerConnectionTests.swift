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

    @Test("malformed remote descriptions and candidates are refused with a reason")
    func refusesBadInput() throws {
        let peer = PeerConnection(configuration: PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000)), seed: 9)
        let now = ContinuousClock.now
        #expect(throws: PeerConnectionError.self) { _ = try peer.answer(remoteOffer: "this is not sdp", now: now) }
        #expect(throws: PeerConnectionError.self) { try peer.setRemoteAnswer("v=0\r\n", now: now) }
        #expect(throws: PeerConnectionError.self) { try peer.addRemoteCandidate("candidate:garbage", now: now) }
    }
}
