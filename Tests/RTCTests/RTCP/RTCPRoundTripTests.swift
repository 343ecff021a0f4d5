import RTC
import Testing

@Suite("RTCP serialize then parse")
struct RTCPRoundTripTests {
    @Test("every sample packet comes back equal", arguments: RTCPSamples.all)
    func roundTrip(packet: RTCPPacket) throws {
        let bytes = serializedRTCP(packet)
        #expect(bytes.count % 4 == 0)
        #expect(try parseSingleRTCPPacket(bytes) == packet)
    }

    @Test("a compound of every sample comes back in order")
    func compound() throws {
        let bytes = RTCPCompound.serialize(RTCPSamples.all)
        #expect(try RTCPCompound.parse(bytes) == RTCPSamples.all)
    }

    @Test("SR and RR with 0 and 31 report blocks", arguments: [0, 1, 31])
    func reportBlockCounts(count: Int) throws {
        var senderReport = RTCPSamples.senderReport
        senderReport.reportBlocks = RTCPSamples.reportBlocks(count)
        let senderBytes = serializedRTCP(.senderReport(senderReport))
        #expect(senderBytes.count == 28 + 24 * count)
        #expect(senderBytes[0] == 0x80 | UInt8(count))
        #expect(try parseSingleRTCPPacket(senderBytes) == .senderReport(senderReport))

        let receiverReport = RTCPReceiverReport(senderSSRC: 7, reportBlocks: RTCPSamples.reportBlocks(count))
        let receiverBytes = serializedRTCP(.receiverReport(receiverReport))
        #expect(receiverBytes.count == 8 + 24 * count)
        #expect(try parseSingleRTCPPacket(receiverBytes) == .receiverReport(receiverReport))
    }

    @Test("more than 31 blocks continue in further RR packets from the same SSRC (RFC 3550 §6.4.2)")
    func reportBlockOverflow() throws {
        var senderReport = RTCPSamples.senderReport
        senderReport.reportBlocks = RTCPSamples.reportBlocks(70)
        let packets = try RTCPCompound.parse(serializedRTCP(.senderReport(senderReport)))
        #expect(packets.count == 3)
        guard case .senderReport(let first) = packets[0], case .receiverReport(let second) = packets[1],
            case .receiverReport(let third) = packets[2]
        else { Issue.record("expected SR, RR, RR: \(packets)"); return }
        #expect(first.reportBlocks.count == 31 && second.reportBlocks.count == 31 && third.reportBlocks.count == 8)
        #expect(second.senderSSRC == senderReport.senderSSRC && third.senderSSRC == senderReport.senderSSRC)
        #expect(first.reportBlocks + second.reportBlocks + third.reportBlocks == senderReport.reportBlocks)
    }

    @Test("cumulative loss is clamped to 24 signed bits when written")
    func cumulativeLossClamp() throws {
        let report = RTCPReceiverReport(senderSSRC: 1, reportBlocks: [
            RTCPReportBlock(ssrc: 2, cumulativeLost: 20_000_000), RTCPReportBlock(ssrc: 3, cumulativeLost: -20_000_000),
            RTCPReportBlock(ssrc: 4, cumulativeLost: -0x80_0000),
        ])
        guard case .receiverReport(let parsed) = try parseSingleRTCPPacket(serializedRTCP(.receiverReport(report)))
        else { Issue.record("not an RR"); return }
        #expect(parsed.reportBlocks.map(\.cumulativeLost) == [0x7F_FFFF, -0x80_0000, -0x80_0000])
    }

    @Test("NACK: 100, 101, 103, 116 share one pair, with BLP bits 0, 2 and 15")
    func nackOnePair() throws {
        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [100, 101, 103, 116])
        #expect(nack.pairs.map(\.packetID) == [100] && nack.pairs.map(\.bitmask) == [0x8005])
        #expect(try parseSingleRTCPPacket(serializedRTCP(.genericNACK(nack))) == .genericNACK(nack))
    }

    @Test("NACK: 117 is 17 past 100, beyond a BLP's reach, so it starts a second pair")
    func nackSecondPair() throws {
        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [100, 101, 103, 117])
        #expect(nack.pairs.map(\.packetID) == [100, 117] && nack.pairs.map(\.bitmask) == [0x0005, 0])
        let bytes = serializedRTCP(.genericNACK(nack))
        #expect(bytes.suffix(8) == [0x00, 0x64, 0x00, 0x05, 0x00, 0x75, 0x00, 0x00])
        #expect(try parseSingleRTCPPacket(bytes) == .genericNACK(nack))
    }

    @Test("NACK: a run of 40 losses takes three pairs")
    func nackLongRun() throws {
        let lost = (0..<40).map { UInt16(1_000 + $0) }
        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: lost)
        #expect(nack.pairs.map(\.packetID) == [1_000, 1_017, 1_034])
        #expect(nack.pairs.map(\.bitmask) == [0xFFFF, 0xFFFF, 0x001F])
        #expect(try parseSingleRTCPPacket(serializedRTCP(.genericNACK(nack))) == .genericNACK(nack))
    }

    @Test("NACK: a pair wraps from 65535 to 0")
    func nackWrap() throws {
        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [65_534, 65_535, 0, 5])
        #expect(nack.pairs.map(\.packetID) == [65_534] && nack.pairs.map(\.bitmask) == [0b0100_0011])
        #expect(try parseSingleRTCPPacket(serializedRTCP(.genericNACK(nack))) == .genericNACK(nack))
    }

    @Test("NACK: duplicates and descending numbers keep their order, in extra pairs")
    func nackOrder() throws {
        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [10, 12, 11, 11, 9])
        #expect(nack.pairs.map(\.packetID) == [10, 11, 11, 9])
        #expect(try parseSingleRTCPPacket(serializedRTCP(.genericNACK(nack))) == .genericNACK(nack))
    }

    @Test("BYE reasons of 0, 1, 3, 4 and 255 octets pad to 32 bits and come back", arguments: [0, 1, 3, 4, 255])
    func goodbyeReason(length: Int) throws {
        let goodbye = RTCPGoodbye(ssrcs: [0xAAAA_AAAA], reason: (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 1) })
        let bytes = serializedRTCP(.goodbye(goodbye))
        #expect(bytes.count == 8 + (1 + length + 3) / 4 * 4)
        #expect(try parseSingleRTCPPacket(bytes) == .goodbye(goodbye))
    }

    @Test("SDES items of every length up to 12 end with 1 to 4 null octets (RFC 3550 §6.5)", arguments: 0...12)
    func sourceDescriptionTermination(length: Int) throws {
        let description = RTCPSourceDescription(chunks: [
            RTCPSourceDescription.Chunk(ssrc: 1, items: [RTCPSourceDescription.Item(type: .cname, value: Array(repeating: 0x61, count: length))]),
            RTCPSourceDescription.Chunk(ssrc: 2, items: [.cname("second")]),
        ])
        let bytes = serializedRTCP(.sourceDescription(description))
        // Header, the first chunk with 1 to 4 nulls, then 4 + 2 + 6 octets and 4 nulls.
        #expect(bytes.count == 4 + ((4 + 2 + length) / 4 + 1) * 4 + 16)
        #expect(try parseSingleRTCPPacket(bytes) == .sourceDescription(description))
    }

    @Test("a padded packet: the padding octets are skipped (RFC 3550 §6.4.1)")
    func padding() throws {
        // A PLI with 8 octets of padding, as a sender padding for encryption would write it.
        let bytes = hexBytes("a1 ce 00 04 01 02 03 04 0a 0b 0c 0d 00 00 00 00 00 00 00 08")
        #expect(try parseSingleRTCPPacket(bytes) == .pictureLossIndication(
            RTCPPictureLossIndication(senderSSRC: 0x0102_0304, mediaSSRC: 0x0A0B_0C0D)))
    }

    @Test("unknown packet types and feedback formats are kept, not rejected")
    func unknownPackets() throws {
        let bytes = hexBytes("""
            81 cc 00 02 01 02 03 04 6e 61 6d 65
            83 cd 00 03 01 02 03 04 0a 0b 0c 0d 00 01 02 03
            8f ce 00 03 01 02 03 04 00 00 00 00 41 42 43 44
            80 cf 00 01 00 00 00 00
            """)
        #expect(try RTCPCompound.parse(bytes) == [
            .unknown(packetType: 204, format: 1), .unknown(packetType: 205, format: 3),
            .unknown(packetType: 206, format: 15), .unknown(packetType: 207, format: 0),
        ])
    }

    @Test("SR and RR profile extensions after the report blocks are skipped")
    func profileExtension() throws {
        var bytes = serializedRTCP(.receiverReport(RTCPReceiverReport(senderSSRC: 5, reportBlocks: RTCPSamples.reportBlocks(1))))
        bytes += [1, 2, 3, 4, 5, 6, 7, 8]
        bytes[3] += 2
        #expect(try parseSingleRTCPPacket(bytes) == .receiverReport(RTCPReceiverReport(senderSSRC: 5, reportBlocks: RTCPSamples.reportBlocks(1))))
    }
}
