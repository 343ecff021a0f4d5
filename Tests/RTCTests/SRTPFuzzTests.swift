import Testing
@testable import RTC

@Suite("SRTP session under fuzzed input")
struct SRTPFuzzTests {
    @Test("mutated and random packets never crash unprotect, and every one is accounted for",
          arguments: SRTPProtectionProfile.allCases)
    func mutatedPackets(profile: SRTPProtectionProfile) throws {
        let (sender, receiver) = try SRTPSessionTests.sessions(profile)
        var seeds: [[UInt8]] = []
        for sequenceNumber in UInt16(0)..<UInt16(32) {
            var packet = SRTPTestPackets.rtp(sequenceNumber: sequenceNumber, payloadLength: Int(sequenceNumber) * 37)
            try sender.protectRTP(&packet)
            seeds.append(packet)
            var report = SRTPTestPackets.rtcpReceiverReport(jitter: UInt32(sequenceNumber))
            try sender.protectRTCP(&report)
            seeds.append(report)
        }
        var random = FuzzRandom(seed: profile == .aeadAes128Gcm ? 0x5A7F_0001 : 0x5A7F_0002)
        let iterations = 1_500
        var rtpInputs = 0
        var rtcpInputs = 0
        for _ in 0..<iterations {
            var packet = mutatedDatagram(seeds[Int.random(in: 0..<seeds.count, using: &random)], using: &random)
            if Bool.random(using: &random) {
                rtpInputs += 1
                _ = receiver.unprotectRTP(&packet)
            } else {
                rtcpInputs += 1
                _ = receiver.unprotectRTCP(&packet)
            }
        }
        let counters = receiver.counters
        let accounted = counters.decryptedRTPPackets + counters.decryptedRTCPPackets + counters.authenticationFailures
            + counters.replays + counters.duplicates + counters.malformed + counters.otherFailures
        #expect(accounted == iterations)
        #expect(rtpInputs + rtcpInputs == iterations)
        #expect(counters.authenticationFailures > 0 && counters.malformed > 0)
    }

    @Test("random buffers never crash protect")
    func randomProtect() throws {
        let (sender, _) = try SRTPSessionTests.sessions(.aes128CmHmacSha1_80)
        var random = FuzzRandom(seed: 0x5A7F_0003)
        for _ in 0..<500 {
            var packet = (0..<Int.random(in: 0...1_200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if packet.count > 0 { packet[0] = 0x80 | (packet[0] & 0x3F) }
            if Bool.random(using: &random) {
                _ = try? sender.protectRTP(&packet)
            } else {
                _ = try? sender.protectRTCP(&packet)
            }
        }
    }
}
