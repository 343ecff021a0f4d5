import RTC
import Testing

@Suite("RTCP malformed input")
struct RTCPMalformedInputTests {
    func expectError(_ error: RTCPParseError, _ hex: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: error, sourceLocation: sourceLocation) { try RTCPCompound.parse(hexBytes(hex)) }
    }

    @Test("empty buffer")
    func empty() {
        expectError(.empty, "")
    }

    @Test("fewer than 4 octets for a header, alone or after a valid packet")
    func shortHeader() {
        expectError(.truncatedHeader(offset: 0), "81 c9 00")
        expectError(.truncatedHeader(offset: 12), "81 ce 00 02 01 02 03 04 0a 0b 0c 0d 80 c9")
    }

    @Test("version other than 2, in the first or a later packet")
    func wrongVersion() {
        expectError(.unsupportedVersion(1, offset: 0), "41 ce 00 02 01 02 03 04 0a 0b 0c 0d")
        expectError(.unsupportedVersion(3, offset: 12), "81 ce 00 02 01 02 03 04 0a 0b 0c 0d c0 c9 00 01 00 00 00 00")
    }

    @Test("length field beyond the buffer")
    func lengthBeyondBuffer() {
        expectError(.lengthBeyondBuffer(offset: 0, declaredLength: 16, available: 12), "81 ce 00 03 01 02 03 04 0a 0b 0c 0d")
        expectError(.lengthBeyondBuffer(offset: 0, declaredLength: 262_144, available: 8), "80 c9 ff ff 00 00 00 01")
    }

    @Test("padding count of zero, or larger than the body")
    func badPadding() {
        expectError(.invalidPadding(offset: 0, paddingLength: 0), "a1 ce 00 03 01 02 03 04 0a 0b 0c 0d 00 00 00 00")
        expectError(.invalidPadding(offset: 0, paddingLength: 17), "a1 ce 00 03 01 02 03 04 0a 0b 0c 0d 00 00 00 11")
        // Padding may take the whole body, which then is too short for a PLI.
        expectError(.truncatedPacket(packetType: 206, format: 1, offset: 0), "a1 ce 00 01 00 00 00 04")
    }

    @Test("report counts that the packet cannot hold")
    func countTooLarge() {
        // RR claiming 2 blocks with room for 1.
        expectError(.countTooLarge(packetType: 201, count: 2, offset: 0), """
            82 c9 00 07 ca fe ba be 11 22 33 44 40 ff ff fb 00 01 ff fe 00 00 00 7b aa bb cc dd 00 01 80 00
            """)
        // SR claiming 31 blocks with none.
        expectError(.countTooLarge(packetType: 200, count: 31, offset: 0),
                    "9f c8 00 06 01 02 03 04 00 00 00 01 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00")
        // BYE claiming 3 SSRCs with room for 2.
        expectError(.countTooLarge(packetType: 203, count: 3, offset: 0), "83 cb 00 02 01 02 03 04 05 06 07 08")
        // SDES claiming 2 chunks with one.
        expectError(.countTooLarge(packetType: 202, count: 2, offset: 0), "82 ca 00 03 01 02 03 04 01 02 61 62 00 00 00 00")
    }

    @Test("packets shorter than their fixed fields")
    func truncatedPackets() {
        expectError(.truncatedPacket(packetType: 200, format: 0, offset: 0), "80 c8 00 01 01 02 03 04")
        expectError(.truncatedPacket(packetType: 201, format: 0, offset: 0), "80 c9 00 00")
        expectError(.truncatedPacket(packetType: 205, format: 1, offset: 0), "81 cd 00 01 01 02 03 04")
        // A NACK pair cut in half by padding.
        expectError(.truncatedPacket(packetType: 205, format: 1, offset: 0), "a1 cd 00 03 01 02 03 04 0a 0b 0c 0d 00 64 00 02")
        // A FIR entry of 4 octets instead of 8.
        expectError(.truncatedPacket(packetType: 206, format: 4, offset: 0), "84 ce 00 03 01 02 03 04 00 00 00 00 0a 0b 0c 0d")
        // A BYE reason longer than the packet.
        expectError(.truncatedPacket(packetType: 203, format: 1, offset: 0), "81 cb 00 02 01 02 03 04 09 61 62 63")
    }

    @Test("SDES items running past the packet, or without a terminating null octet")
    func malformedSourceDescription() {
        expectError(.malformedSourceDescription(offset: 0), "81 ca 00 02 01 02 03 04 01 09 61 62")
        expectError(.malformedSourceDescription(offset: 0), "81 ca 00 02 01 02 03 04 01 02 61 62")
    }

    @Test("REMB shorter than its fields, or than its SSRC list")
    func truncatedREMB() {
        // The identifier without the count, exponent and mantissa.
        expectError(.truncatedREMB(offset: 0), "8f ce 00 03 01 02 03 04 00 00 00 00 52 45 4d 42")
        // One SSRC announced, none present.
        expectError(.truncatedREMB(offset: 0), "8f ce 00 04 01 02 03 04 00 00 00 00 52 45 4d 42 01 03 d0 90")
        // Two announced, one present.
        expectError(.truncatedREMB(offset: 0), "8f ce 00 05 01 02 03 04 00 00 00 00 52 45 4d 42 02 03 d0 90 0a 0b 0c 0d")
    }

    @Test("transport-wide feedback with truncated chunks or deltas")
    func truncatedTransportFeedback() {
        // Fixed fields cut short.
        expectError(.truncatedTransportFeedback(offset: 0), "8f cd 00 03 00 00 00 01 00 00 00 02 00 05 00 01")
        // A status count of 2 and no chunk.
        expectError(.truncatedTransportFeedback(offset: 0), "8f cd 00 04 00 00 00 01 00 00 00 02 00 05 00 02 00 00 01 00")
        // pion's transport_layer_cc_test.go "example8": 3 small deltas announced, one present.
        expectError(.truncatedTransportFeedback(offset: 0), "af cd 00 05 fa 17 fa 17 43 03 2f a0 00 99 00 03 3d e8 02 17 20 03 94 01")
        // pion's "example9": 2 large deltas announced, one octet present.
        expectError(.truncatedTransportFeedback(offset: 0), "af cd 00 05 fa 17 fa 17 43 03 2f a0 00 99 00 02 3d e8 02 17 40 02 94 01")
    }

    @Test("a malformed packet after a valid one reports its own offset")
    func offsetOfLaterPacket() {
        expectError(.truncatedREMB(offset: 12), """
            81 ce 00 02 01 02 03 04 0a 0b 0c 0d
            8f ce 00 03 01 02 03 04 00 00 00 00 52 45 4d 42
            """)
    }

    @Test("every error describes itself")
    func descriptions() {
        let errors: [RTCPParseError] = [
            .empty, .truncatedHeader(offset: 1), .unsupportedVersion(1, offset: 2),
            .lengthBeyondBuffer(offset: 3, declaredLength: 4, available: 5), .invalidPadding(offset: 6, paddingLength: 7),
            .countTooLarge(packetType: 201, count: 8, offset: 9), .truncatedPacket(packetType: 200, format: 1, offset: 10),
            .malformedSourceDescription(offset: 11), .truncatedREMB(offset: 12), .truncatedTransportFeedback(offset: 13),
            .reservedTransportFeedbackSymbol(offset: 14),
        ]
        #expect(Set(errors.map(\.description)).count == errors.count)
        #expect(errors.allSatisfy { $0.description.hasPrefix("RTCP: ") })
    }
}
