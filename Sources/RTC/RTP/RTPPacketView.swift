/// A decrypted RTP packet read in place (RFC 3550 §5.1), with no copy: the header fields, where
/// the payload lies once padding is removed, and the header-extension block.
///
/// Valid only while the buffer it was made from is; never stored.
public struct RTPPacketView {
    public let bytes: UnsafeRawBufferPointer
    public let marker: Bool
    public let payloadType: UInt8
    public let sequenceNumber: UInt16
    public let timestamp: UInt32
    public let ssrc: UInt32
    /// Offset and length of the payload, padding excluded.
    public let payloadOffset: Int
    public let payloadLength: Int
    /// Offset and length of the extension elements (after the 4-byte extension header), and its
    /// profile: 0xBEDE for one-byte elements, 0x100x for two-byte elements (RFC 8285).
    let extensionOffset: Int
    let extensionLength: Int
    let extensionProfile: UInt16

    /// Nil when the packet is not version 2 or its lengths do not fit.
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 12, bytes[0] >> 6 == 2 else { return nil }
        self.bytes = bytes
        let first = bytes[0]
        marker = bytes[1] & 0x80 != 0
        payloadType = bytes[1] & 0x7F
        sequenceNumber = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        timestamp = bytes.readUInt32(at: 4)
        ssrc = bytes.readUInt32(at: 8)
        var offset = 12 + Int(first & 0x0F) * 4
        guard offset <= bytes.count else { return nil }
        if first & 0x10 != 0 {
            guard offset + 4 <= bytes.count else { return nil }
            let profile = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let words = Int(UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3]))
            guard offset + 4 + words * 4 <= bytes.count else { return nil }
            extensionProfile = profile
            extensionOffset = offset + 4
            extensionLength = words * 4
            offset += 4 + words * 4
        } else {
            extensionProfile = 0
            extensionOffset = offset
            extensionLength = 0
        }
        var end = bytes.count
        if first & 0x20 != 0 {
            // RFC 3550 §5.1: the last octet counts the padding, itself included.
            let padding = Int(bytes[end - 1])
            guard padding > 0, offset + padding <= end else { return nil }
            end -= padding
        }
        payloadOffset = offset
        payloadLength = end - offset
    }

    public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[payloadOffset ..< payloadOffset + payloadLength])
    }

    /// The value of header extension `id` (RFC 8285), or nil when the packet does not carry it.
    /// Walks the elements in place; ids come from the negotiated `a=extmap`.
    public func headerExtension(id: UInt16) -> UnsafeRawBufferPointer? {
        guard extensionLength > 0, id > 0 else { return nil }
        let end = extensionOffset + extensionLength
        var offset = extensionOffset
        if extensionProfile == 0xBEDE {
            while offset < end {
                let header = bytes[offset]
                if header == 0 { offset += 1; continue }  // padding byte
                let elementID = UInt16(header >> 4)
                if elementID == 15 { return nil }  // reserved: stop parsing (RFC 8285 §4.2)
                let length = Int(header & 0x0F) + 1
                guard offset + 1 + length <= end else { return nil }
                if elementID == id { return UnsafeRawBufferPointer(rebasing: bytes[offset + 1 ..< offset + 1 + length]) }
                offset += 1 + length
            }
        } else if extensionProfile & 0xFFF0 == 0x1000 {
            while offset < end {
                let elementID = UInt16(bytes[offset])
                if elementID == 0 { offset += 1; continue }
                guard offset + 2 <= end else { return nil }
                let length = Int(bytes[offset + 1])
                guard offset + 2 + length <= end else { return nil }
                if elementID == id { return UnsafeRawBufferPointer(rebasing: bytes[offset + 2 ..< offset + 2 + length]) }
                offset += 2 + length
            }
        }
        return nil
    }
}
