import RTC

/// A STUN message (RFC 8489) as a connectivity check or its response arrives: decoded, its
/// integrity checked against a key, and re-encoded: a decoded message must encode to one that
/// decodes to the same attributes.
enum STUNFuzz {
    static let key = Array("recorderpasswordrecorder".utf8)

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let message = try? StunMessage(decoding: Array(input)) else { return }
        _ = message.hasValidIntegrity(key: key)
        _ = (message.username, message.xorMappedAddress, message.errorCode)
        // Re-encoding adds MESSAGE-INTEGRITY and FINGERPRINT, which a message near the 16-bit
        // length limit has no room for; the agent never re-encodes what it received.
        guard input.count < 60_000 else { return }
        let encoded = message.encoded(integrityKey: key)
        guard let decoded = try? StunMessage(decoding: encoded) else {
            return fuzzCheck(false, "re-encoded message does not decode: \(message)")
        }
        fuzzCheck(decoded.hasValidIntegrity(key: key), "re-encoded message fails its own integrity")
        // Error reasons are read leniently (invalid UTF-8 replaced), so compare after one round.
        fuzzCheck(decoded.type == message.type && decoded.attributes.count == message.attributes.count,
                  "round trip changed \(message) into \(decoded)")
        let again = try? StunMessage(decoding: decoded.encoded(integrityKey: key))
        fuzzCheck(again?.attributes == decoded.attributes, "second round trip changed \(decoded)")
    }
}
