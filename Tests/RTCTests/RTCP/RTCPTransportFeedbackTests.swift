@testable import RTC
import Testing

/// Transport-wide congestion control feedback, draft-holmer-rmcat-transport-wide-cc-extensions-01.
@Suite("RTCP transport-wide feedback wire format")
struct RTCPTransportFeedbackTests {
    typealias Status = RTCPTransportFeedback.PacketStatus
    typealias ChunkWriter = TransportFeedbackChunkWriter

    @Test("§3.1.3 run length chunk example 1: 221 packets not received is 0x00DD")
    func draftRunLengthExample() throws {
        #expect(ChunkWriter.runLengthChunk(symbol: 0, length: 221) == 0x00DD)
        // As a whole feedback: the run, then one received packet in a run of its own.
        let feedback = RTCPTransportFeedback(
            senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 0, referenceTime: 0, feedbackPacketCount: 0,
            packetStatuses: Array(repeating: .notReceived, count: 221) + [.receivedSmallDelta(4)])
        let bytes = serializedRTCP(.transportFeedback(feedback))
        #expect(Array(bytes[20..<24]) == [0x00, 0xDD, 0x20, 0x01])
        #expect(try parseSingleRTCPPacket(bytes) == .transportFeedback(feedback))
    }

    @Test("§3.1.4 status vector chunk example 1: 14 one-bit symbols are 0x9F1C")
    func draftOneBitVectorExample() throws {
        let symbols: [UInt8] = [0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0]
        #expect(ChunkWriter.oneBitVectorChunk(symbols) == 0x9F1C)
        let statuses = symbols.map { $0 == 0 ? Status.notReceived : .receivedSmallDelta(10) }
        let feedback = RTCPTransportFeedback(
            senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 500, referenceTime: -1, feedbackPacketCount: 255,
            packetStatuses: statuses)
        let bytes = serializedRTCP(.transportFeedback(feedback))
        #expect(Array(bytes[20..<22]) == [0x9F, 0x1C])
        #expect(bytes.count == 20 + 2 + 8 + 2)
        #expect(try parseSingleRTCPPacket(bytes) == .transportFeedback(feedback))
    }

    @Test("two-bit vector: not received, large, 3 small, 2 not received is 0xC950")
    func twoBitVector() throws {
        // 11 00 10 01 01 01 00 00
        #expect(ChunkWriter.twoBitVectorChunk([0, 2, 1, 1, 1, 0, 0]) == 0xC950)
        let statuses: [Status] = [
            .notReceived, .receivedLargeOrNegativeDelta(-4), .receivedSmallDelta(1), .receivedSmallDelta(2),
            .receivedSmallDelta(3), .notReceived, .notReceived,
        ]
        let feedback = RTCPTransportFeedback(
            senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 9, referenceTime: 100, feedbackPacketCount: 1,
            packetStatuses: statuses)
        let bytes = serializedRTCP(.transportFeedback(feedback))
        #expect(Array(bytes[20...]) == [0xC9, 0x50, 0xFF, 0xFC, 0x01, 0x02, 0x03, 0x01])
        #expect(try parseSingleRTCPPacket(bytes) == .transportFeedback(feedback))
    }

    @Test("the draft's second examples use symbol 11, which -01 reserves: rejected")
    func draftReservedSymbolExamples() {
        // §3.1.4 example 2, 0xCD50: 00 11 01 01 01 00 00, and §3.1.3 example 2, 0x6018: 24 × 11.
        // They come from -00's "received without timestamp"; libwebrtc rejects the symbol too.
        for chunk in ["cd 50", "60 18"] {
            let bytes = hexBytes("8f cd 00 05 00 00 00 01 00 00 00 02 00 01 00 07 00 00 01 00 \(chunk) 00 00")
            #expect(throws: RTCPParseError.reservedTransportFeedbackSymbol(offset: 0)) { try RTCPCompound.parse(bytes) }
        }
    }

    @Test("chunk choice: runs, one-bit vectors, two-bit vectors")
    func chunkWriterChoices() {
        func chunks(_ symbols: [UInt8]) -> [UInt16] {
            var writer = ChunkWriter()
            for symbol in symbols { writer.append(symbol) }
            #expect(writer.chunkCountWhenFinished == writer.finishedChunks().count)
            return writer.finishedChunks()
        }
        #expect(chunks([]) == [])
        #expect(chunks([1]) == [0x2001])
        #expect(chunks(Array(repeating: 1, count: 8_191)) == [0x3FFF])
        #expect(chunks(Array(repeating: 1, count: 8_192)) == [0x3FFF, 0x2001])
        #expect(chunks(Array(repeating: 2, count: 20) + [1]) == [0x4014, 0x2001])
        // 30 alternating: 14, 14, then 2 in a final one-bit vector.
        #expect(chunks((0..<30).map { UInt8($0 % 2) }) == [0x9555, 0x9555, 0x9000])
        // A large delta after 9 mixed: the first 7 go out as a two-bit vector.
        #expect(chunks([1, 0, 1, 0, 1, 0, 1, 0, 1, 2]) == [0xD111, 0xC600])
        // 10 small then 100 not received: 4 of those join the small ones in a one-bit vector of
        // 14, the other 96 make a run.
        #expect(chunks(Array(repeating: 1, count: 10) + Array(repeating: 0, count: 100)) == [0xBFF0, 0x0060])
    }

    @Test("Chromium feedback captured in pion/rtcp's transport_layer_cc_test.go parses and re-serializes byte for byte")
    func chromiumVectors() throws {
        // pion "example1": one packet, small delta 148 (37 ms), one octet of RTCP padding.
        let example1 = hexBytes("af cd 00 05 fa 17 fa 17 43 03 2f a0 00 99 00 01 3d e8 02 17 20 01 94 01")
        let feedback1 = RTCPTransportFeedback(
            senderSSRC: 0xFA17_FA17, mediaSSRC: 0x4303_2FA0, baseSequenceNumber: 153, referenceTime: 4_057_090,
            feedbackPacketCount: 23, packetStatuses: [.receivedSmallDelta(148)])
        #expect(try parseSingleRTCPPacket(example1) == .transportFeedback(feedback1))
        #expect(serializedRTCP(.transportFeedback(feedback1)) == example1)
        #expect(feedback1.packetArrivals() == [TransportPacketArrival(sequenceNumber: 153, arrivalMicroseconds: 4_057_090 * 64_000 + 37_000)])

        // pion "example4": a run of 7 small deltas, three octets of padding.
        let example4 = hexBytes("""
            af cd 00 07 fa 17 fa 17 19 3d d8 bb 00 04 00 07 10 63 6e 01 20 07 4c 24 24 10 0c 0c 10 00 00 03
            """)
        let feedback4 = RTCPTransportFeedback(
            senderSSRC: 0xFA17_FA17, mediaSSRC: 0x193D_D8BB, baseSequenceNumber: 4, referenceTime: 1_074_030,
            feedbackPacketCount: 1, packetStatuses: [76, 36, 36, 16, 12, 12, 16].map { .receivedSmallDelta($0) })
        #expect(try parseSingleRTCPPacket(example4) == .transportFeedback(feedback4))
        #expect(serializedRTCP(.transportFeedback(feedback4)) == example4)

        // pion "example7": no packets at all, no padding.
        let example7 = hexBytes("8f cd 00 04 9a cb 04 42 00 00 00 00 00 00 00 00 00 00 00 00")
        let feedback7 = RTCPTransportFeedback(
            senderSSRC: 0x9ACB_0442, mediaSSRC: 0, baseSequenceNumber: 0, referenceTime: 0, feedbackPacketCount: 0,
            packetStatuses: [])
        #expect(try parseSingleRTCPPacket(example7) == .transportFeedback(feedback7))
        #expect(serializedRTCP(.transportFeedback(feedback7)) == example7)
    }

    @Test("pion's example6: a two-bit vector, then a run longer than the status count needs")
    func overlongLastRun() throws {
        let bytes = hexBytes("""
            af cd 00 07 9b 74 f6 1f 93 71 dc bc 85 3c 00 09 63 f9 16 b3 d5 52 00 30 9b aa 6a aa 7b 01 09 01
            """)
        let feedback = RTCPTransportFeedback(
            senderSSRC: 0x9B74_F61F, mediaSSRC: 0x9371_DCBC, baseSequenceNumber: 34_108, referenceTime: 6_551_830,
            feedbackPacketCount: 179,
            packetStatuses: [155, 170, 106, 170, 123].map { .receivedSmallDelta($0) }
                + [.notReceived, .receivedLargeOrNegativeDelta(265), .notReceived, .notReceived])
        #expect(try parseSingleRTCPPacket(bytes) == .transportFeedback(feedback))
        // Written back, the run covers exactly the 2 packets it reports.
        var expected = bytes
        expected[23] = 0x02
        #expect(serializedRTCP(.transportFeedback(feedback)) == expected)
        // The reference time's top bit is clear, so arrivals are reference × 64 ms plus deltas.
        let base = Int64(6_551_830) * 64_000
        #expect(feedback.packetArrivals().map(\.arrivalMicroseconds) == [
            base + 38_750, base + 81_250, base + 107_750, base + 150_250, base + 181_000, nil, base + 247_250, nil, nil,
        ])
    }

    @Test("pion's example5 as it marshals it: a one-bit vector and two octets of padding")
    func oneBitVectorVector() throws {
        let bytes = hexBytes("af cd 00 06 fa 17 fa 17 19 3d d8 bb 00 01 00 0e 10 63 6d 00 ba 00 10 0c 0c 10 00 02")
        let feedback = RTCPTransportFeedback(
            senderSSRC: 0xFA17_FA17, mediaSSRC: 0x193D_D8BB, baseSequenceNumber: 1, referenceTime: 1_074_029,
            feedbackPacketCount: 0,
            packetStatuses: [.receivedSmallDelta(16), .receivedSmallDelta(12), .receivedSmallDelta(12), .notReceived,
                             .receivedSmallDelta(16)] + Array(repeating: .notReceived, count: 9))
        #expect(try parseSingleRTCPPacket(bytes) == .transportFeedback(feedback))
        #expect(serializedRTCP(.transportFeedback(feedback)) == bytes)
    }

    @Test("pion's example2 announces a large delta that padding cuts off: truncated")
    func paddingCutsDelta() {
        let bytes = hexBytes("af cd 00 06 fa 17 fa 17 19 3d d8 bb 01 74 00 0e 45 b1 5a 40 d8 00 f0 ff d0 00 00 03")
        #expect(throws: RTCPParseError.truncatedTransportFeedback(offset: 0)) { try RTCPCompound.parse(bytes) }
    }

    @Test("a negative reference time is sign-extended from 24 bits, and wraps the same way when written")
    func negativeReferenceTime() throws {
        let feedback = RTCPTransportFeedback(
            senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 65_535, referenceTime: -0x80_0000, feedbackPacketCount: 7,
            packetStatuses: [.receivedSmallDelta(0), .receivedLargeOrNegativeDelta(-32_768), .receivedLargeOrNegativeDelta(32_767)])
        let bytes = serializedRTCP(.transportFeedback(feedback))
        #expect(Array(bytes[16..<20]) == [0x80, 0x00, 0x00, 0x07])
        #expect(try parseSingleRTCPPacket(bytes) == .transportFeedback(feedback))
        #expect(feedback.packetArrivals().map(\.sequenceNumber) == [65_535, 0, 1])
        let reference: Int64 = -0x80_0000 * 64_000
        let expected: [Int64?] = [reference, reference - 8_192_000, reference - 250]
        #expect(feedback.packetArrivals().map(\.arrivalMicroseconds) == expected)
    }
}
