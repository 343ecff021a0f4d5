@testable import RTC
import Testing

@Suite("RTP packet view: header, padding, RFC 8285 header extensions")
struct RTPPacketViewTests {
    @Test("fixed header fields, CSRCs and padding")
    func header() throws {
        let bytes: [UInt8] = [0xA1, 0xE0, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04,
                              0xCC, 0xCC, 0xCC, 0xCC,  // one CSRC
                              0x11, 0x22, 0x33,  // payload
                              0x00, 0x00, 0x03]  // three bytes of padding
        try bytes.withUnsafeBytes { buffer in
            let packet = try #require(RTPPacketView(buffer))
            #expect(packet.marker)
            #expect(packet.payloadType == 96)
            #expect(packet.sequenceNumber == 0x1234)
            #expect(packet.timestamp == 0xDEAD_BEEF)
            #expect(packet.ssrc == 0x0102_0304)
            #expect(Array(packet.payload) == [0x11, 0x22, 0x33])
        }
    }

    @Test("one-byte header extensions (RFC 8285 §4.2) with padding between elements")
    func oneByteExtensions() throws {
        let bytes: [UInt8] = [0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1,
                              0xBE, 0xDE, 0x00, 0x02,
                              0x10, 0x41,  // id 1, "A"
                              0x00,  // padding
                              0x32, 0x01, 0x02, 0x03,  // id 3, 3 bytes
                              0x00,  // padding to the word
                              0xFF]  // payload
        try bytes.withUnsafeBytes { buffer in
            let packet = try #require(RTPPacketView(buffer))
            #expect(packet.headerExtension(id: 1).map(Array.init) == [0x41])
            #expect(packet.headerExtension(id: 3).map(Array.init) == [1, 2, 3])
            #expect(packet.headerExtension(id: 2) == nil)
            #expect(Array(packet.payload) == [0xFF])
        }
    }

    @Test("two-byte header extensions (RFC 8285 §4.3), including a zero-length element")
    func twoByteExtensions() throws {
        let bytes: [UInt8] = [0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1,
                              0x10, 0x00, 0x00, 0x02,
                              0x01, 0x00,  // id 1, empty
                              0x07, 0x02, 0xAB, 0xCD,  // id 7, 2 bytes
                              0x00, 0x00,  // padding
                              0xEE]
        try bytes.withUnsafeBytes { buffer in
            let packet = try #require(RTPPacketView(buffer))
            #expect(packet.headerExtension(id: 1).map(Array.init) == [])
            #expect(packet.headerExtension(id: 7).map(Array.init) == [0xAB, 0xCD])
            #expect(Array(packet.payload) == [0xEE])
        }
    }

    @Test("malformed packets are refused", arguments: [
        [UInt8](repeating: 0x80, count: 11),  // short
        [0x40, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1],  // version 1
        [0x8F, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1],  // 15 CSRCs that are not there
        [0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x05],  // extension longer than the packet
        [0xA0, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x00, 0x09],  // padding longer than the payload
        [0xA0, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x00, 0x00],  // zero padding count
    ] as [[UInt8]])
    func malformed(bytes: [UInt8]) {
        bytes.withUnsafeBytes { #expect(RTPPacketView($0) == nil) }
    }

    @Test("fuzz: 5 000 random and mutated packets never crash, and views stay in bounds")
    func fuzz() {
        var random = SeededRandom(seed: 8285)
        let valid: [UInt8] = [0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x01, 0x10, 0x41, 0x00, 0x00, 1, 2, 3]
        for round in 0 ..< 5_000 {
            var bytes = valid
            if round % 2 == 0 {
                bytes = (0 ..< Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                if !bytes.isEmpty { bytes[0] = 0x80 | (bytes[0] & 0x3F) }
            } else {
                for _ in 0 ..< 1 + Int(random.next() % 4) {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            bytes.withUnsafeBytes { buffer in
                guard let packet = RTPPacketView(buffer) else { return }
                #expect(packet.payloadOffset + packet.payloadLength <= buffer.count)
                for id in 0 ..< 16 as Range<UInt16> { _ = packet.headerExtension(id: id) }
            }
        }
    }
}
