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
