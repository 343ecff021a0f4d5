/// The fields of a STUN message (RFC 8489 §5) that a shared port routes by, read where the
/// datagram lies: no decoding, no copy, no allocation. Anything that does not look like STUN
/// (first two bits, magic cookie, length) is not one.
public struct StunDatagramHeader {
    public let messageClass: StunClass
    public let method: StunMethod
    public let transactionID: StunTransactionKey
    private let attributesEnd: Int

    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 20, bytes[0] & 0xC0 == 0 else { return nil }
        let length = Int(bytes.readUInt16(at: 2))
        guard length % 4 == 0, 20 + length <= bytes.count, bytes.readUInt32(at: 4) == StunMessage.magicCookie else { return nil }
        let type = StunMessageType(wireValue: bytes.readUInt16(at: 0))
        messageClass = type.messageClass
        method = type.method
        transactionID = StunTransactionKey(high: bytes.readUInt64(at: 8), low: bytes.readUInt32(at: 16))
        attributesEnd = 20 + length
    }

    /// The receiver's part of USERNAME (`RECEIVER:SENDER`, RFC 8445 §7.2.2): in a connectivity
    /// check sent to us, our own ufrag. Ufrags of up to 15 bytes (ours have 8, browsers' 4 to 16)
    /// are small strings, stored inline.
    public func receiverUsernameFragment(in bytes: UnsafeRawBufferPointer) -> String? {
        var offset = 20
        while offset + 4 <= attributesEnd {
            let type = bytes.readUInt16(at: offset)
            let length = Int(bytes.readUInt16(at: offset + 2))
            let value = offset + 4
            guard value + length <= attributesEnd else { return nil }
            if type == Self.usernameAttribute {
                let username = UnsafeRawBufferPointer(rebasing: bytes[value..<(value + length)])
                let ufrag = username.prefix { $0 != UInt8(ascii: ":") }
                return ufrag.isEmpty ? nil : String(decoding: ufrag, as: UTF8.self)
            }
            offset = value + (length + 3) & ~3
        }
        return nil
    }

    private static var usernameAttribute: UInt16 { 0x0006 }
}

/// A STUN transaction ID (96 bits) as a value that hashes without touching the heap.
public struct StunTransactionKey: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt32

    public init(high: UInt64, low: UInt32) {
        self.high = high
        self.low = low
    }
}
