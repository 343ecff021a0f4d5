/// One RTCP packet after the compound parser has read its common header (RFC 3550 §6.4.1) and
/// removed its padding: what the per-type parsers read from.
struct RTCPPacketBody {
    /// PT: 200 SR, 201 RR, 202 SDES, 203 BYE, 205 RTPFB, 206 PSFB (RFC 3550 §12.1, RFC 4585 §6.1).
    let packetType: UInt8
    /// The 5-bit field after P: a report or source count, or a feedback message type (FMT).
    let count: UInt8
    /// The octets after the header, without padding, indexed from 0.
    let bytes: UnsafeRawBufferPointer
    /// Where the packet's header sits in the compound, for errors.
    let offset: Int

    var truncated: RTCPParseError { .truncatedPacket(packetType: packetType, format: count, offset: offset) }

    /// The FCI of a feedback message: what follows the sender and media SSRCs (RFC 4585 §6.1).
    /// Callers check `bytes.count >= 8` first.
    var feedbackControlInformation: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[8...])
    }

    /// The sender and media SSRCs every RTPFB and PSFB message starts with (RFC 4585 §6.1).
    func feedbackSSRCs() throws(RTCPParseError) -> (sender: UInt32, media: UInt32) {
        guard bytes.count >= 8 else { throw truncated }
        return (bytes.readUInt32(at: 0), bytes.readUInt32(at: 4))
    }
}

/// Packet type numbers (RFC 3550 §12.1, RFC 4585 §6.1) and feedback formats this module reads.
enum RTCPPacketType {
    static let senderReport: UInt8 = 200
    static let receiverReport: UInt8 = 201
    static let sourceDescription: UInt8 = 202
    static let goodbye: UInt8 = 203
    static let transportLayerFeedback: UInt8 = 205
    static let payloadSpecificFeedback: UInt8 = 206

    /// RTPFB FMT 1, generic NACK (RFC 4585 §6.2.1).
    static let genericNACKFormat: UInt8 = 1
    /// RTPFB FMT 15, transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
    static let transportFeedbackFormat: UInt8 = 15
    /// PSFB FMT 1, picture loss indication (RFC 4585 §6.3.1).
    static let pictureLossFormat: UInt8 = 1
    /// PSFB FMT 4, full intra request (RFC 5104 §4.3.1).
    static let fullIntraRequestFormat: UInt8 = 4
    /// PSFB FMT 15, application layer feedback; REMB is one (draft-alvestrand-rmcat-remb §2.2).
    static let applicationLayerFeedbackFormat: UInt8 = 15
}

extension Array<UInt8> {
    /// The most octets one RTCP packet can have: its length field counts 32-bit words minus one.
    static let maximumRTCPPacketLength = 65_536 * 4

    /// Appends a common header with a zero length field, to be set by `finishRTCPPacket`, and
    /// returns where the packet starts.
    mutating func beginRTCPPacket(count: UInt8, packetType: UInt8) -> Int {
        let start = self.count
        append(0x80 | (count & 0x1F))
        append(packetType)
        appendUInt16(0)
        return start
    }

    /// Appends zero octets up to the next 32-bit boundary of the packet started at `start`.
    mutating func appendZeroPadding(packetStart start: Int) {
        while (count - start) % 4 != 0 { append(0) }
    }

    /// Pads the packet started at `start` to 32 bits with RTCP padding (P bit, and a last octet
    /// counting the padding, RFC 3550 §6.4.1) when it is not aligned, then sets its length field.
    mutating func finishRTCPPacket(startingAt start: Int) {
        let padding = (4 - (count - start) % 4) % 4
        if padding > 0 {
            append(contentsOf: repeatElement(0, count: padding - 1))
            append(UInt8(padding))
            self[start] |= 0x20
        }
        patchUInt16(UInt16(truncatingIfNeeded: (count - start) / 4 - 1), at: start + 2)
    }
}
