/// STUN methods Tapedeck speaks: ICE connectivity checks (Binding) and TURN (RFC 8656).
public struct StunMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    public static let binding = StunMethod(rawValue: 0x001)
    public static let allocate = StunMethod(rawValue: 0x003)
    public static let refresh = StunMethod(rawValue: 0x004)
    public static let send = StunMethod(rawValue: 0x006)
    public static let data = StunMethod(rawValue: 0x007)
    public static let createPermission = StunMethod(rawValue: 0x008)
    public static let channelBind = StunMethod(rawValue: 0x009)

    public var description: String {
        switch self {
        case .binding: "Binding"
        case .allocate: "Allocate"
        case .refresh: "Refresh"
        case .send: "Send"
        case .data: "Data"
        case .createPermission: "CreatePermission"
        case .channelBind: "ChannelBind"
        default: "method 0x\(String(rawValue, radix: 16))"
        }
    }
}

public enum StunClass: UInt16, Sendable, Hashable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}

/// The 14-bit message type: method and class bits interleaved as RFC 8489 §5 lays them out.
public struct StunMessageType: Sendable, Hashable, CustomStringConvertible {
    public var method: StunMethod
    public var messageClass: StunClass

    public init(method: StunMethod, class messageClass: StunClass) {
        self.method = method
        self.messageClass = messageClass
    }

    init(wireValue: UInt16) {
        let m = wireValue
        let method = (m & 0x000F) | ((m & 0x00E0) >> 1) | ((m & 0x3E00) >> 2)
        let classBits = ((m & 0x0010) >> 4) | ((m & 0x0100) >> 7)
        self.method = StunMethod(rawValue: method)
        self.messageClass = StunClass(rawValue: classBits)!  // two bits: always a valid case
    }

    var wireValue: UInt16 {
        let m = method.rawValue
        let c = messageClass.rawValue
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0b01) << 4) | ((c & 0b10) << 7)
    }

    public var description: String { "\(method) \(messageClass)" }
}
