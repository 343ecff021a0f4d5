/// Why bytes were not accepted as a STUN message. ICE drops such datagrams and counts them.
public enum StunDecodingError: Error, Hashable, CustomStringConvertible {
    case tooShort(Int)
    case notStun
    case badMagicCookie
    case lengthMismatch(declared: Int, actual: Int)
    case attributeOverrun(type: UInt16)
    case malformedAttribute(type: UInt16, reason: String)
    case badFingerprint

    public var description: String {
        switch self {
        case .tooShort(let count): "STUN message too short (\(count) bytes)"
        case .notStun: "not a STUN message (top bits of the type are set)"
        case .badMagicCookie: "STUN magic cookie missing"
        case .lengthMismatch(let declared, let actual):
            "STUN length field says \(declared) bytes of attributes, datagram has \(actual)"
        case .attributeOverrun(let type): "STUN attribute 0x\(String(type, radix: 16)) runs past the end"
        case .malformedAttribute(let type, let reason): "STUN attribute 0x\(String(type, radix: 16)): \(reason)"
        case .badFingerprint: "STUN FINGERPRINT does not match"
        }
    }
}
