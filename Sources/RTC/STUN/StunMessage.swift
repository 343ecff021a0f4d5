/// A STUN message (RFC 8489): a connectivity check, its response, or a TURN request.
///
/// Decoding checks the header, every attribute's bounds and the FINGERPRINT (a message whose
/// FINGERPRINT is wrong is refused). MESSAGE-INTEGRITY needs the key, which depends on who sent
/// the message, so it is checked afterwards with `hasValidIntegrity(key:)`.
public struct StunMessage: Sendable, Hashable {
    public static let magicCookie: UInt32 = 0x2112_A442
    static let headerLength = 20

    public var type: StunMessageType
    public var transactionID: StunTransactionID
    public var attributes: [StunAttribute]

    /// Present when the decoded message carried MESSAGE-INTEGRITY: the bytes the HMAC covers
    /// (with the length field as RFC 8489 §14.5 prescribes) and the HMAC itself.
    var receivedIntegrity: ReceivedIntegrity?
    /// True when the decoded message carried a (valid) FINGERPRINT.
    public internal(set) var hadFingerprint = false

    struct ReceivedIntegrity: Sendable, Hashable {
        let coveredBytes: [UInt8]
        let hmac: [UInt8]
    }

    public init(type: StunMessageType, transactionID: StunTransactionID, attributes: [StunAttribute] = []) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
    }

    /// Whether the message carried MESSAGE-INTEGRITY that matches `key` (the remote ICE password
    /// for connectivity checks, `StunCredentials.longTermKey` for TURN).
    public func hasValidIntegrity(key: [UInt8]) -> Bool {
        guard let receivedIntegrity else { return false }
        return constantTimeEquals(StunCrypto.hmacSHA1(key: key, data: receivedIntegrity.coveredBytes), receivedIntegrity.hmac)
    }

    public var carriesIntegrity: Bool { receivedIntegrity != nil }

    /// The first attribute of a kind, e.g. `message.first { if case .username(let u) = $0 { u } else { nil } }`.
    public func first<T>(_ extract: (StunAttribute) -> T?) -> T? {
        for attribute in attributes {
            if let value = extract(attribute) { return value }
        }
        return nil
    }

    public var username: String? { first { if case .username(let value) = $0 { value } else { nil } } }
    public var xorMappedAddress: TransportAddress? {
        first { if case .xorMappedAddress(let value) = $0 { value } else { nil } }
    }
    public var errorCode: (code: Int, reason: String)? {
        first { if case .errorCode(let code, let reason) = $0 { (code, reason) } else { nil } }
    }
}

/// The 96-bit transaction id that pairs a response with its request.
public struct StunTransactionID: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        self.bytes = Array(bytes)
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> StunTransactionID {
        StunTransactionID(bytes: (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) })!
    }

    public var description: String { bytes.map { String($0, radix: 16).leftPadded(2) }.joined() }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
    return difference == 0
}
