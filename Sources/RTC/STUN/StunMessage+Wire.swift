extension StunMessage {
    private static let fingerprintXor: UInt32 = 0x5354_554E
    private static let integrityLength = 20

    /// Parses one STUN message that fills the whole datagram.
    public init(decoding bytes: [UInt8]) throws(StunDecodingError) {
        guard bytes.count >= Self.headerLength else { throw .tooShort(bytes.count) }
        guard bytes[0] & 0xC0 == 0 else { throw .notStun }
        guard bytes.readUInt32(at: 4) == Self.magicCookie else { throw .badMagicCookie }
        let declared = Int(bytes.readUInt16(at: 2))
        guard declared == bytes.count - Self.headerLength, declared % 4 == 0 else {
            throw .lengthMismatch(declared: declared, actual: bytes.count - Self.headerLength)
        }
        let transactionID = StunTransactionID(bytes: bytes[8..<20])!
        self.init(type: StunMessageType(wireValue: bytes.readUInt16(at: 0)), transactionID: transactionID)

        var offset = Self.headerLength
        var afterIntegrity = false
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else { throw .attributeOverrun(type: 0) }
            let type = bytes.readUInt16(at: offset)
            let length = Int(bytes.readUInt16(at: offset + 2))
            let valueStart = offset + 4
            guard valueStart + length <= bytes.count else { throw .attributeOverrun(type: type) }
            let value = bytes[valueStart..<valueStart + length]
            let next = valueStart + (length + 3) & ~3

            switch type {
            case StunAttributeType.fingerprint:
                guard length == 4, next == bytes.count else {
                    throw .malformedAttribute(type: type, reason: "FINGERPRINT must be the last attribute, 4 bytes")
                }
                let covered = Self.withLength(bytes[0..<offset], attributesLength: next - Self.headerLength)
                guard StunCrypto.crc32(covered) ^ Self.fingerprintXor == bytes.readUInt32(at: valueStart) else {
                    throw .badFingerprint
                }
                hadFingerprint = true
            case StunAttributeType.messageIntegrity:
                guard length == Self.integrityLength else {
                    throw .malformedAttribute(type: type, reason: "MESSAGE-INTEGRITY must be 20 bytes")
                }
                if !afterIntegrity {
                    receivedIntegrity = ReceivedIntegrity(
                        coveredBytes: Self.withLength(bytes[0..<offset], attributesLength: next - Self.headerLength),
                        hmac: Array(value))
                }
                afterIntegrity = true
            default:
                // RFC 8489 §14.5: attributes after MESSAGE-INTEGRITY (other than FINGERPRINT) are ignored.
                if !afterIntegrity {
                    attributes.append(try StunAttribute(type: type, value: value, transactionID: transactionID))
                }
            }
            offset = next
        }
    }

    /// Serialises the message; with `integrityKey`, appends MESSAGE-INTEGRITY; with
    /// `fingerprint`, appends FINGERPRINT last (ICE requires both on connectivity checks).
    public func encoded(integrityKey: [UInt8]? = nil, fingerprint: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        bytes.appendUInt16(type.wireValue)
        bytes.appendUInt16(0)  // length, patched below
        bytes.appendUInt32(Self.magicCookie)
        bytes.append(contentsOf: transactionID.bytes)
        for attribute in attributes { attribute.append(to: &bytes, transactionID: transactionID) }

        if let integrityKey {
            bytes.patchUInt16(UInt16(bytes.count - Self.headerLength + 4 + Self.integrityLength), at: 2)
            let hmac = StunCrypto.hmacSHA1(key: integrityKey, data: bytes)
            bytes.appendUInt16(StunAttributeType.messageIntegrity)
            bytes.appendUInt16(UInt16(Self.integrityLength))
            bytes.append(contentsOf: hmac)
        }
        if fingerprint {
            bytes.patchUInt16(UInt16(bytes.count - Self.headerLength + 8), at: 2)
            let crc = StunCrypto.crc32(bytes) ^ Self.fingerprintXor
            bytes.appendUInt16(StunAttributeType.fingerprint)
            bytes.appendUInt16(4)
            bytes.appendUInt32(crc)
        }
        bytes.patchUInt16(UInt16(bytes.count - Self.headerLength), at: 2)
        return bytes
    }

    /// The header and attributes before `offset`, with the length field set as if the message
    /// ended after the attribute being checked.
    private static func withLength(_ prefix: ArraySlice<UInt8>, attributesLength: Int) -> [UInt8] {
        var covered = Array(prefix)
        covered.patchUInt16(UInt16(attributesLength), at: 2)
        return covered
    }
}
