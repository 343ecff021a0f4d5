/// STUN attribute types Tapedeck reads or writes (RFC 8489, RFC 8445, RFC 8656).
public enum StunAttributeType {
    public static let mappedAddress: UInt16 = 0x0001
    public static let username: UInt16 = 0x0006
    public static let messageIntegrity: UInt16 = 0x0008
    public static let errorCode: UInt16 = 0x0009
    public static let unknownAttributes: UInt16 = 0x000A
    public static let channelNumber: UInt16 = 0x000C
    public static let lifetime: UInt16 = 0x000D
    public static let xorPeerAddress: UInt16 = 0x0012
    public static let data: UInt16 = 0x0013
    public static let realm: UInt16 = 0x0014
    public static let nonce: UInt16 = 0x0015
    public static let xorRelayedAddress: UInt16 = 0x0016
    public static let requestedTransport: UInt16 = 0x0019
    public static let dontFragment: UInt16 = 0x001A
    public static let xorMappedAddress: UInt16 = 0x0020
    public static let priority: UInt16 = 0x0024
    public static let useCandidate: UInt16 = 0x0025
    public static let software: UInt16 = 0x8022
    public static let fingerprint: UInt16 = 0x8028
    public static let iceControlled: UInt16 = 0x8029
    public static let iceControlling: UInt16 = 0x802A
}

/// One STUN attribute, decoded where Tapedeck needs the value, raw otherwise.
/// MESSAGE-INTEGRITY and FINGERPRINT are not attributes here: the codec computes and checks them.
public enum StunAttribute: Sendable, Hashable {
    case mappedAddress(TransportAddress)
    case xorMappedAddress(TransportAddress)
    case xorPeerAddress(TransportAddress)
    case xorRelayedAddress(TransportAddress)
    case username(String)
    case realm(String)
    case nonce(String)
    case software(String)
    case errorCode(code: Int, reason: String)
    case unknownAttributes([UInt16])
    case priority(UInt32)
    case useCandidate
    case iceControlled(tieBreaker: UInt64)
    case iceControlling(tieBreaker: UInt64)
    case lifetime(seconds: UInt32)
    case requestedTransport(protocolNumber: UInt8)
    case channelNumber(UInt16)
    case data([UInt8])
    case dontFragment
    case other(type: UInt16, value: [UInt8])
}
