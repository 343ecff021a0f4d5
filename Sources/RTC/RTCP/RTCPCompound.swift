/// Compound RTCP packets (RFC 3550 §6.1): several RTCP packets back to back in one datagram,
/// each with its own common header and length.
public enum RTCPCompound {
    /// Reads every packet of a compound. Unknown packet types and feedback formats come back as
    /// `.unknown`; anything malformed rejects the whole compound, since a length that lies leaves
    /// nothing after it trustworthy.
    ///
    /// Not checked, on purpose: that the first packet is an SR or RR (RFC 3550 §A.2), which
    /// reduced-size RTCP (RFC 5506) relaxes and browsers use for feedback, and that only the last
    /// packet is padded.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RTCPParseError) -> [RTCPPacket] {
        guard !bytes.isEmpty else { throw .empty }
        var packets: [RTCPPacket] = []
        var offset = 0
        while offset < bytes.count {
            let available = bytes.count - offset
            guard available >= 4 else { throw .truncatedHeader(offset: offset) }
            let first = bytes[offset]
            let version = first >> 6
            guard version == 2 else { throw .unsupportedVersion(version, offset: offset) }
            // The length field counts 32-bit words minus one, header included (RFC 3550 §6.4.1).
            let length = (Int(bytes.readUInt16(at: offset + 2)) + 1) * 4
            guard length <= available else {
                throw .lengthBeyondBuffer(offset: offset, declaredLength: length, available: available)
            }
            var bodyEnd = offset + length
            if first & 0x20 != 0 {
                // The last octet counts the padding octets, itself included (RFC 3550 §6.4.1).
                let padding = Int(bytes[bodyEnd - 1])
                guard padding >= 1, padding <= length - 4 else {
                    throw .invalidPadding(offset: offset, paddingLength: padding)
                }
                bodyEnd -= padding
            }
            let body = RTCPPacketBody(
                packetType: bytes[offset + 1], count: first & 0x1F,
                bytes: UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<bodyEnd]), offset: offset)
            packets.append(try RTCPPacket.parse(body))
            offset += length
        }
        return packets
    }

    /// As `parse(_:)`, for bytes in an array.
    public static func parse(_ bytes: [UInt8]) throws(RTCPParseError) -> [RTCPPacket] {
        // withUnsafeBytes only rethrows untyped errors, so the typed one travels as a Result.
        try bytes.withUnsafeBytes { buffer in Result { () throws(RTCPParseError) in try parse(buffer) } }.get()
    }

    /// Appends the packets back to back: a compound packet.
    public static func serialize(_ packets: [RTCPPacket], into bytes: inout [UInt8]) {
        for packet in packets { packet.serialize(into: &bytes) }
    }

    /// The packets back to back, as one compound packet.
    public static func serialize(_ packets: [RTCPPacket]) -> [UInt8] {
        var bytes: [UInt8] = []
        serialize(packets, into: &bytes)
        return bytes
    }
}
