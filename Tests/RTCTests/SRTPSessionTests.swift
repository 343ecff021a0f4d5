import Testing
@testable import RTC

/// Plain RTP and RTCP packets for the SRTP tests.
enum SRTPTestPackets {
    static func rtp(sequenceNumber: UInt16, ssrc: UInt32 = 0x1234_5678, payloadLength: Int = 160) -> [UInt8] {
        let timestamp = UInt32(sequenceNumber) &* 960
        var packet: [UInt8] = [0x80, 96, UInt8(sequenceNumber >> 8), UInt8(sequenceNumber & 0xFF)]
        packet += bigEndian(timestamp) + bigEndian(ssrc)
        packet += (0..<payloadLength).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(sequenceNumber)) }
        return packet
    }

    /// A receiver report with one report block.
    static func rtcpReceiverReport(ssrc: UInt32 = 0xCAFE_F00D, reportee: UInt32 = 0x1234_5678, jitter: UInt32 = 7) -> [UInt8] {
        var packet: [UInt8] = [0x81, 201, 0, 7]
        packet += bigEndian(ssrc) + bigEndian(reportee)
        packet += [0, 0, 0, 1] + bigEndian(65_600) + bigEndian(jitter) + bigEndian(0) + bigEndian(0)
        return packet
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

@Suite("SRTP session: protect, unprotect, replay, duplicates")
struct SRTPSessionTests {
    /// A (sender, receiver) pair keyed by a real DTLS handshake: the client sends, the server receives.
    static func sessions(_ profile: SRTPProtectionProfile) throws -> (sender: SRTPSession, receiver: SRTPSession) {
        let keys = try handshakeKeyingMaterial(profile: profile)
        return (try SRTPSession(keyingMaterial: keys.client), try SRTPSession(keyingMaterial: keys.server))
    }

    @Test("RTP and RTCP protected by one side decrypt on the other", arguments: SRTPProtectionProfile.allCases)
    func roundTrip(profile: SRTPProtectionProfile) throws {
        let (sender, receiver) = try Self.sessions(profile)
        for sequenceNumber in UInt16(100)..<UInt16(110) {
            let plain = SRTPTestPackets.rtp(sequenceNumber: sequenceNumber)
            var packet = plain
            try sender.protectRTP(&packet)
            #expect(packet.count == plain.count + profile.rtpTrailerLength)
            #expect(packet[12...] != plain[12...], "the payload is encrypted")
            #expect(receiver.unprotectRTP(&packet) == .decrypted(length: plain.count))
            #expect(packet == plain)
        }
        let report = SRTPTestPackets.rtcpReceiverReport()
        var protectedReport = report
        try sender.protectRTCP(&protectedReport)
        #expect(protectedReport.count == report.count + profile.rtcpTrailerLength)
        #expect(receiver.unprotectRTCP(&protectedReport) == .decrypted(length: report.count))
        #expect(protectedReport == report)

        // And the other way round: the receiver's outbound key is the sender's inbound one.
        var reply = SRTPTestPackets.rtcpReceiverReport(ssrc: 1, reportee: 2)
        try receiver.protectRTCP(&reply)
        #expect(sender.unprotectRTCP(&reply) == .decrypted(length: report.count))

        #expect(receiver.counters.decryptedRTPPackets == 10)
        #expect(receiver.counters.decryptedRTCPPackets == 1)
        #expect(receiver.counters.decryptedRTCPBytes == report.count)
        #expect(sender.counters.protectedRTPPackets == 10 && sender.counters.protectedRTCPPackets == 1)
    }

    @Test("a tampered packet fails authentication and does not block the genuine one",
          arguments: SRTPProtectionProfile.allCases)
    func tamperedPacket(profile: SRTPProtectionProfile) throws {
        let (sender, receiver) = try Self.sessions(profile)
        var packet = SRTPTestPackets.rtp(sequenceNumber: 7)
        try sender.protectRTP(&packet)
        var tampered = packet
        tampered[40] ^= 0x01
        #expect(receiver.unprotectRTP(&tampered) == .authenticationFailed)
        var tamperedTag = packet
        tamperedTag[tamperedTag.count - 1] ^= 0x80
        #expect(receiver.unprotectRTP(&tamperedTag) == .authenticationFailed)
        #expect(receiver.counters.authenticationFailures == 2)
        #expect(receiver.unprotectRTP(&packet) == .decrypted(length: 12 + 160))

        var report = SRTPTestPackets.rtcpReceiverReport()
        try sender.protectRTCP(&report)
        report[10] ^= 0x04
        #expect(receiver.unprotectRTCP(&report) == .authenticationFailed)
        #expect(receiver.counters.authenticationFailures == 3)
    }

    @Test("keys from another handshake do not authenticate")
    func wrongKeys() throws {
        let (sender, _) = try Self.sessions(.aes128CmHmacSha1_80)
        let (_, stranger) = try Self.sessions(.aes128CmHmacSha1_80)
        var packet = SRTPTestPackets.rtp(sequenceNumber: 1)
        try sender.protectRTP(&packet)
        #expect(stranger.unprotectRTP(&packet) == .authenticationFailed)
    }

    @Test("an exact duplicate is dropped before decryption; a packet older than the window is a replay",
          arguments: SRTPProtectionProfile.allCases)
    func duplicatesAndReplays(profile: SRTPProtectionProfile) throws {
        let (sender, receiver) = try Self.sessions(profile)
        var protectedPackets: [[UInt8]] = []
        for sequenceNumber in UInt16(0)..<UInt16(2_000) {
            var packet = SRTPTestPackets.rtp(sequenceNumber: sequenceNumber, payloadLength: 20)
            try sender.protectRTP(&packet)
            protectedPackets.append(packet)
        }
        // Packet 0 is held back; the others arrive in order, packet 1500 twice.
        for index in 1..<2_000 {
            var copy = protectedPackets[index]
            #expect(receiver.unprotectRTP(&copy) == .decrypted(length: 32))
        }
        var duplicate = protectedPackets[1_500]
        #expect(receiver.unprotectRTP(&duplicate) == .duplicate)
        #expect(duplicate == protectedPackets[1_500], "a dropped duplicate is left untouched")
        #expect(receiver.counters.duplicates == 1)
        #expect(receiver.counters.decryptedRTPPackets == 1_999)

        // 2000 packets later, packet 0 is outside the 1024-packet window.
        var late = protectedPackets[0]
        #expect(receiver.unprotectRTP(&late) == .replayed)
        #expect(receiver.counters.replays == 1)

        // A reordered packet inside the window is still accepted once.
        var reordered: [[UInt8]] = []
        for sequenceNumber in UInt16(2_000)..<UInt16(2_010) {
            var packet = SRTPTestPackets.rtp(sequenceNumber: sequenceNumber, payloadLength: 20)
            try sender.protectRTP(&packet)
            reordered.append(packet)
        }
        for index in [1, 2, 3, 0, 5, 4, 9, 8, 7, 6] {
            var copy = reordered[index]
            #expect(receiver.unprotectRTP(&copy) == .decrypted(length: 32))
        }
        var again = reordered[0]
        #expect(receiver.unprotectRTP(&again) == .duplicate)

        // SRTCP duplicates too.
        var report = SRTPTestPackets.rtcpReceiverReport()
        try sender.protectRTCP(&report)
        var first = report
        #expect(receiver.unprotectRTCP(&first) == .decrypted(length: 32))
        var second = report
        #expect(receiver.unprotectRTCP(&second) == .duplicate)
        #expect(receiver.counters.duplicates == 3)
    }

    @Test("sequence numbers wrapping from 65535 to 0 keep decrypting, reordered across the wrap",
          arguments: SRTPProtectionProfile.allCases)
    func sequenceNumberWrap(profile: SRTPProtectionProfile) throws {
        let (sender, receiver) = try Self.sessions(profile)
        var packets: [[UInt8]] = []
        var sequenceNumber: UInt16 = 65_000
        for _ in 0..<1_000 {
            var packet = SRTPTestPackets.rtp(sequenceNumber: sequenceNumber, payloadLength: 40)
            try sender.protectRTP(&packet)
            packets.append(packet)
            sequenceNumber &+= 1
        }
        // Swap neighbours so packets cross the wrap out of order (65535 after 0, and so on).
        for index in stride(from: 0, to: packets.count - 1, by: 2) { packets.swapAt(index, index + 1) }
        for packet in packets {
            var copy = packet
            #expect(receiver.unprotectRTP(&copy) == .decrypted(length: 52))
        }
        #expect(receiver.counters.decryptedRTPPackets == 1_000)
        // 0 came after the wrap: a second copy is a duplicate, not a new packet.
        let zero = try #require(packets.first { $0[2] == 0 && $0[3] == 0 })
        var duplicate = zero
        #expect(receiver.unprotectRTP(&duplicate) == .duplicate)
    }

    @Test("several SSRCs share the session, each with its own window")
    func severalSSRCs() throws {
        let (sender, receiver) = try Self.sessions(.aeadAes128Gcm)
        for sequenceNumber in UInt16(10)..<UInt16(20) {
            for ssrc: UInt32 in [1, 2, 3] {
                var packet = SRTPTestPackets.rtp(sequenceNumber: sequenceNumber, ssrc: ssrc)
                try sender.protectRTP(&packet)
                #expect(receiver.unprotectRTP(&packet) == .decrypted(length: 172))
            }
        }
        #expect(receiver.counters.decryptedRTPPackets == 30)
        #expect(receiver.counters.duplicates == 0)
    }

    @Test("SSRCs beyond the tracked 64 still decrypt; their repeats are caught by libsrtp's replay check")
    func manySSRCs() throws {
        let (sender, receiver) = try Self.sessions(.aeadAes128Gcm)
        var packets: [[UInt8]] = []
        for ssrc in UInt32(1)...70 {
            var packet = SRTPTestPackets.rtp(sequenceNumber: 1, ssrc: ssrc)
            try sender.protectRTP(&packet)
            packets.append(packet)
        }
        for packet in packets {
            var copy = packet
            #expect(receiver.unprotectRTP(&copy) == .decrypted(length: 172))
        }
        var tracked = packets[0]
        #expect(receiver.unprotectRTP(&tracked) == .duplicate)
        var untracked = packets[69]
        #expect(receiver.unprotectRTP(&untracked) == .replayed)
    }

    @Test("the raw-buffer calls work in place in a larger buffer")
    func inPlaceBuffers() throws {
        let (sender, receiver) = try Self.sessions(.aes128CmHmacSha1_80)
        let plain = SRTPTestPackets.rtp(sequenceNumber: 42)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1_500, alignment: 16)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: plain)
        let protectedLength = try sender.protectRTP(buffer, length: plain.count)
        #expect(protectedLength == plain.count + 10)
        let result = receiver.unprotectRTP(UnsafeMutableRawBufferPointer(rebasing: buffer[..<protectedLength]))
        #expect(result == .decrypted(length: plain.count))
        #expect(Array(buffer[..<plain.count]) == plain)
    }

    @Test("short, non-v2 and unprotectable inputs are refused without touching libsrtp's state")
    func malformedAndTooSmall() throws {
        let (sender, receiver) = try Self.sessions(.aeadAes128Gcm)
        var short: [UInt8] = [0x80, 96, 0, 1]
        #expect(receiver.unprotectRTP(&short) == .malformed)
        var versionOne = SRTPTestPackets.rtp(sequenceNumber: 1)
        versionOne[0] = 0x40
        #expect(receiver.unprotectRTP(&versionOne) == .malformed)
        var shortRTCP: [UInt8] = [0x81, 201, 0, 1, 0, 0, 0, 1]
        #expect(receiver.unprotectRTCP(&shortRTCP) == .malformed)
        #expect(receiver.counters.malformed == 3)

        let plain = SRTPTestPackets.rtp(sequenceNumber: 1)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: plain.count + 15, alignment: 1)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: plain)
        #expect(throws: SRTPProtectError.bufferTooSmall) { try sender.protectRTP(buffer, length: plain.count) }
        var tooShort: [UInt8] = [0x80, 0, 0]
        #expect(throws: SRTPProtectError.bufferTooSmall) { try sender.protectRTP(&tooShort) }
        #expect(tooShort == [0x80, 0, 0], "a refused packet is left as it was")
    }

    @Test("keys of the wrong length are refused")
    func wrongKeyLengths() {
        let short = SRTPMasterKey(key: [UInt8](repeating: 1, count: 15), salt: [UInt8](repeating: 2, count: 14))
        let keys = SRTPKeyingMaterial(profile: .aes128CmHmacSha1_80, clientWrite: short, serverWrite: short, localRole: .client)
        #expect(throws: SRTPSetupError.self) { try SRTPSession(keyingMaterial: keys) }
    }

    @Test("keying material splits the exporter output per RFC 5764 §4.2 and keeps keys out of its description")
    func keyingMaterialLayout() {
        let exported = (0..<60).map { UInt8($0) }
        let keys = SRTPKeyingMaterial(profile: .aes128CmHmacSha1_80, exporterOutput: exported, localRole: .server)
        #expect(keys.clientWrite.key == Array(0..<16))
        #expect(keys.serverWrite.key == Array(16..<32))
        #expect(keys.clientWrite.salt == Array(32..<46))
        #expect(keys.serverWrite.salt == Array(46..<60))
        #expect(keys.local == keys.serverWrite && keys.remote == keys.clientWrite)
        #expect(!keys.description.contains("16"))

        let gcm = SRTPKeyingMaterial(profile: .aeadAes128Gcm, exporterOutput: (0..<56).map { UInt8($0) }, localRole: .client)
        #expect(gcm.clientWrite.salt == Array(32..<44) && gcm.serverWrite.salt == Array(44..<56))
    }
}

@Suite("Received packet window")
struct ReceivedPacketWindowTests {
    @Test("remembers the last 1024 indexes and forgets older ones")
    func slidingWindow() {
        var window = ReceivedPacketWindow(first: 10)
        #expect(window.contains(10))
        #expect(!window.contains(11) && !window.contains(9))
        window.insert(12)
        #expect(window.contains(12) && !window.contains(11))
        window.insert(11)
        #expect(window.contains(11))
        window.insert(10 + 1_024)
        #expect(!window.contains(10), "slid out")
        #expect(window.contains(11) && window.contains(12))
        window.insert(5_000)
        #expect(!window.contains(12) && !window.contains(1_034) && window.contains(5_000))
        window.insert(1)
        #expect(!window.contains(1), "too old to remember")
    }

    @Test("sequence numbers extend across the wrap in both directions")
    func sequenceNumberExtension() {
        var window = ReceivedPacketWindow(first: 65_535)
        #expect(window.extendedIndex(sequenceNumber: 0) == 65_536)
        #expect(window.extendedIndex(sequenceNumber: 65_500) == 65_500)
        window.insert(65_536 + 10)
        #expect(window.extendedIndex(sequenceNumber: 65_535) == 65_535)
        #expect(window.extendedIndex(sequenceNumber: 20) == 65_556)
        #expect(ReceivedPacketWindow(first: 5).extendedIndex(sequenceNumber: 65_530) == nil)
    }
}
