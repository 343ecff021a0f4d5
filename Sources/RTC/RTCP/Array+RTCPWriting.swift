/// Writing RTCP packets: the common header (RFC 3550 §6.4.1) and the two kinds of 32-bit padding.
extension Array<UInt8> {
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
