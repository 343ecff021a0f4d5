import RTC
import Testing

/// Byte vectors packed by aiortc 1.16 (aiortc/rtp.py), an independent implementation: printed by
/// `.venv/bin/python Tests/RTCTests/Fixtures/rtcp/rtcp_vectors.py`, which lists the values packed.
@Suite("RTCP byte vectors from aiortc")
struct RTCPVectorTests {
    static let aiortcBlock = RTCPReportBlock(
        ssrc: 0x1122_3344, fractionLost: 0x40, cumulativeLost: -5, extendedHighestSequenceNumber: 0x0001_FFFE,
        jitter: 123, lastSenderReport: 0xAABB_CCDD, delaySinceLastSenderReport: 0x0001_8000)

    /// The bytes parse to the packet, and the packet serializes to the same bytes.
    func expectVector(_ hex: String, _ packet: RTCPPacket, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes = hexBytes(hex)
        #expect(try parseSingleRTCPPacket(bytes) == packet, sourceLocation: sourceLocation)
        #expect(serializedRTCP(packet) == bytes, sourceLocation: sourceLocation)
    }

    @Test("sender report with one report block, and without")
    func senderReport() throws {
        try expectVector("""
            81 c8 00 0c 01 02 03 04 e8 a1 b2 c3 80 00 00 00 de ad be ef 00 00 03 e8 00 01 e2 40
            11 22 33 44 40 ff ff fb 00 01 ff fe 00 00 00 7b aa bb cc dd 00 01 80 00
            """,
            .senderReport(RTCPSenderReport(
                senderSSRC: 0x0102_0304, ntpTimestamp: NTPTimestamp(rawValue: 0xE8A1_B2C3_8000_0000),
                rtpTimestamp: 0xDEAD_BEEF, packetCount: 1_000, octetCount: 123_456, reportBlocks: [Self.aiortcBlock])))
        try expectVector(
            "80 c8 00 06 01 02 03 04 00 00 00 01 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00",
            .senderReport(RTCPSenderReport(
                senderSSRC: 0x0102_0304, ntpTimestamp: NTPTimestamp(seconds: 1, fraction: 1),
                rtpTimestamp: 0, packetCount: 0, octetCount: 0)))
    }

    @Test("receiver report with a negative and a maximal cumulative loss")
    func receiverReport() throws {
        try expectVector("""
            82 c9 00 0d ca fe ba be 11 22 33 44 40 ff ff fb 00 01 ff fe 00 00 00 7b aa bb cc dd 00 01 80 00
            55 66 77 88 00 7f ff ff 00 00 00 11 00 00 00 00 00 00 00 00 00 00 00 00
            """,
            .receiverReport(RTCPReceiverReport(senderSSRC: 0xCAFE_BABE, reportBlocks: [
                Self.aiortcBlock,
                RTCPReportBlock(ssrc: 0x5566_7788, cumulativeLost: 0x7F_FFFF, extendedHighestSequenceNumber: 17),
            ])))
    }

    @Test("SDES with a CNAME")
    func sourceDescription() throws {
        try expectVector(
            "81 ca 00 05 01 02 03 04 01 0a 61 62 63 64 65 66 67 68 69 6a 00 00 00 00",
            .sourceDescription(RTCPSourceDescription(chunks: [
                RTCPSourceDescription.Chunk(ssrc: 0x0102_0304, items: [.cname("abcdefghij")]),
            ])))
    }

    @Test("SDES padded past its chunk, as aiortc pads a 5-octet CNAME, still parses")
    func sourceDescriptionWithExtraNulls() throws {
        let packet = try parseSingleRTCPPacket(hexBytes("81 ca 00 04 01 02 03 04 01 05 74 61 70 65 73 00 00 00 00 00"))
        guard case .sourceDescription(let description) = packet else { Issue.record("not SDES: \(packet)"); return }
        #expect(description.chunks.map(\.cname) == ["tapes"])
        // RFC 3550 §6.5 needs one null octet here; the packet is a word shorter.
        #expect(serializedRTCP(packet) == hexBytes("81 ca 00 03 01 02 03 04 01 05 74 61 70 65 73 00"))
    }

    @Test("BYE without a reason")
    func goodbye() throws {
        try expectVector("82 cb 00 02 01 02 03 04 05 06 07 08", .goodbye(RTCPGoodbye(ssrcs: [0x0102_0304, 0x0506_0708])))
    }

    @Test("generic NACK: aiortc compresses 100,101,103,116 into one pair; 117 and 200 start new ones")
    func genericNACK() throws {
        try expectVector(
            "81 cd 00 05 01 02 03 04 0a 0b 0c 0d 00 64 80 05 00 75 00 00 00 c8 00 00",
            .genericNACK(RTCPGenericNACK(
                senderSSRC: 0x0102_0304, mediaSSRC: 0x0A0B_0C0D, lostSequenceNumbers: [100, 101, 103, 116, 117, 200])))
    }

    @Test("PLI")
    func pictureLossIndication() throws {
        try expectVector(
            "81 ce 00 02 01 02 03 04 0a 0b 0c 0d",
            .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 0x0102_0304, mediaSSRC: 0x0A0B_0C0D)))
    }

    @Test("FIR with two entries (aiortc's PSFB packet with an RFC 5104 FCI)")
    func fullIntraRequest() throws {
        try expectVector(
            "84 ce 00 06 01 02 03 04 00 00 00 00 0a 0b 0c 0d 07 00 00 00 0e 0f 10 11 ff 00 00 00",
            .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: 0x0102_0304, entries: [
                RTCPFullIntraRequest.Entry(ssrc: 0x0A0B_0C0D, sequenceNumber: 7),
                RTCPFullIntraRequest.Entry(ssrc: 0x0E0F_1011, sequenceNumber: 255),
            ])))
    }

    @Test("REMB as aiortc's pack_remb_fci encodes 1234567890 and 250000 bit/s")
    func receiverEstimatedMaximumBitrate() throws {
        let large = RTCPReceiverEstimatedMaximumBitrate(
            senderSSRC: 0x0102_0304, bitrate: 1_234_567_890, ssrcs: [0x0A0B_0C0D, 0x0E0F_1011])
        #expect(large.bitrateExponent == 13 && large.bitrateMantissa == 150_704)
        #expect(large.bitrate == 1_234_567_168)
        try expectVector(
            "8f ce 00 06 01 02 03 04 00 00 00 00 52 45 4d 42 02 36 4c b0 0a 0b 0c 0d 0e 0f 10 11",
            .receiverEstimatedMaximumBitrate(large))
        let small = RTCPReceiverEstimatedMaximumBitrate(senderSSRC: 0x0102_0304, bitrate: 250_000, ssrcs: [0x0A0B_0C0D])
        #expect(small.bitrate == 250_000)
        try expectVector(
            "8f ce 00 05 01 02 03 04 00 00 00 00 52 45 4d 42 01 03 d0 90 0a 0b 0c 0d",
            .receiverEstimatedMaximumBitrate(small))
    }

    @Test("a compound of RR, SDES and NACK")
    func compound() throws {
        let bytes = hexBytes("""
            82 c9 00 0d ca fe ba be 11 22 33 44 40 ff ff fb 00 01 ff fe 00 00 00 7b aa bb cc dd 00 01 80 00
            55 66 77 88 00 7f ff ff 00 00 00 11 00 00 00 00 00 00 00 00 00 00 00 00
            81 ca 00 05 01 02 03 04 01 0a 61 62 63 64 65 66 67 68 69 6a 00 00 00 00
            81 cd 00 05 01 02 03 04 0a 0b 0c 0d 00 64 80 05 00 75 00 00 00 c8 00 00
            """)
        let packets = try RTCPCompound.parse(bytes)
        #expect(packets.count == 3)
        guard case .receiverReport(let report) = packets.first else { Issue.record("not RR first"); return }
        #expect(report.reportBlocks.map(\.cumulativeLost) == [-5, 0x7F_FFFF])
        guard case .sourceDescription(let description) = packets[1] else { Issue.record("not SDES second"); return }
        #expect(description.chunks.first?.cname == "abcdefghij")
        #expect(RTCPCompound.serialize(packets) == bytes)
    }
}
