extension StunAttribute {
    init(type: UInt16, value: ArraySlice<UInt8>, transactionID: StunTransactionID) throws(StunDecodingError) {
        let bytes = Array(value)
        func text() throws(StunDecodingError) -> String {
            guard let string = String(validating: bytes, as: UTF8.self) else {
                throw .malformedAttribute(type: type, reason: "not UTF-8")
            }
            return string
        }
        func exactly(_ count: Int) throws(StunDecodingError) {
            guard bytes.count == count else {
                throw .malformedAttribute(type: type, reason: "expected \(count) bytes, got \(bytes.count)")
            }
        }
        switch type {
        case StunAttributeType.mappedAddress:
            self = .mappedAddress(try Self.address(bytes, type: type, xorWith: nil))
        case StunAttributeType.xorMappedAddress:
            self = .xorMappedAddress(try Self.address(bytes, type: type, xorWith: transactionID))
        case StunAttributeType.xorPeerAddress:
            self = .xorPeerAddress(try Self.address(bytes, type: type, xorWith: transactionID))
        case StunAttributeType.xorRelayedAddress:
            self = .xorRelayedAddress(try Self.address(bytes, type: type, xorWith: transactionID))
        case StunAttributeType.username: self = .username(try text())
        case StunAttributeType.realm: self = .realm(try text())
        case StunAttributeType.nonce: self = .nonce(try text())
        case StunAttributeType.software: self = .software(try text())
        case StunAttributeType.errorCode:
            guard bytes.count >= 4 else { throw .malformedAttribute(type: type, reason: "shorter than 4 bytes") }
            let code = Int(bytes[2] & 0x07) * 100 + Int(bytes[3])
            self = .errorCode(code: code, reason: String(decoding: bytes[4...], as: UTF8.self))
        case StunAttributeType.unknownAttributes:
            guard bytes.count % 2 == 0 else { throw .malformedAttribute(type: type, reason: "odd length") }
            self = .unknownAttributes(stride(from: 0, to: bytes.count, by: 2).map { bytes.readUInt16(at: $0) })
        case StunAttributeType.priority:
            try exactly(4)
            self = .priority(bytes.readUInt32(at: 0))
        case StunAttributeType.useCandidate:
            try exactly(0)
            self = .useCandidate
        case StunAttributeType.iceControlled:
            try exactly(8)
            self = .iceControlled(tieBreaker: bytes.readUInt64(at: 0))
        case StunAttributeType.iceControlling:
            try exactly(8)
            self = .iceControlling(tieBreaker: bytes.readUInt64(at: 0))
        case StunAttributeType.lifetime:
            try exactly(4)
            self = .lifetime(seconds: bytes.readUInt32(at: 0))
        case StunAttributeType.requestedTransport:
            try exactly(4)
            self = .requestedTransport(protocolNumber: bytes[0])
        case StunAttributeType.channelNumber:
            try exactly(4)
            self = .channelNumber(bytes.readUInt16(at: 0))
        case StunAttributeType.data: self = .data(bytes)
        case StunAttributeType.dontFragment:
            try exactly(0)
            self = .dontFragment
        default:
            self = .other(type: type, value: bytes)
        }
    }

    private static func address(_ bytes: [UInt8], type: UInt16, xorWith transactionID: StunTransactionID?) throws(StunDecodingError) -> TransportAddress {
        guard bytes.count >= 4 else { throw .malformedAttribute(type: type, reason: "address shorter than 4 bytes") }
        let family = bytes[1]
        let addressLength: Int
        switch family {
        case 0x01: addressLength = 4
        case 0x02: addressLength = 16
        default: throw .malformedAttribute(type: type, reason: "unknown address family \(family)")
        }
        guard bytes.count == 4 + addressLength else {
            throw .malformedAttribute(type: type, reason: "address family \(family) needs \(4 + addressLength) bytes")
        }
        var port = bytes.readUInt16(at: 2)
        var address = Array(bytes[4...])
        if let transactionID {
            port ^= UInt16(StunMessage.magicCookie >> 16)
            let mask = xorMask(transactionID)
            for index in address.indices { address[index] ^= mask[index] }
        }
        return TransportAddress(ip: IPAddress(bytes: address)!, port: port)
    }

    /// Magic cookie followed by the transaction id: what XOR-*-ADDRESS values are masked with.
    private static func xorMask(_ transactionID: StunTransactionID) -> [UInt8] {
        var mask: [UInt8] = []
        mask.appendUInt32(StunMessage.magicCookie)
        return mask + transactionID.bytes
    }

    func append(to bytes: inout [UInt8], transactionID: StunTransactionID) {
        func put(_ type: UInt16, _ value: [UInt8]) {
            bytes.appendUInt16(type)
            bytes.appendUInt16(UInt16(value.count))
            bytes.append(contentsOf: value)
            bytes.append(contentsOf: repeatElement(0, count: (4 - value.count % 4) % 4))
        }
        func addressValue(_ address: TransportAddress, xor: Bool) -> [UInt8] {
            var value: [UInt8] = [0, address.ip.isIPv6 ? 0x02 : 0x01]
            var ip = address.ip.bytes
            var port = address.port
            if xor {
                port ^= UInt16(StunMessage.magicCookie >> 16)
                let mask = Self.xorMask(transactionID)
                for index in ip.indices { ip[index] ^= mask[index] }
            }
            value.appendUInt16(port)
            return value + ip
        }
        func number<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.bigEndian) { Array($0) }
        }
        switch self {
        case .mappedAddress(let address): put(StunAttributeType.mappedAddress, addressValue(address, xor: false))
        case .xorMappedAddress(let address): put(StunAttributeType.xorMappedAddress, addressValue(address, xor: true))
        case .xorPeerAddress(let address): put(StunAttributeType.xorPeerAddress, addressValue(address, xor: true))
        case .xorRelayedAddress(let address): put(StunAttributeType.xorRelayedAddress, addressValue(address, xor: true))
        case .username(let value): put(StunAttributeType.username, Array(value.utf8))
        case .realm(let value): put(StunAttributeType.realm, Array(value.utf8))
        case .nonce(let value): put(StunAttributeType.nonce, Array(value.utf8))
        case .software(let value): put(StunAttributeType.software, Array(value.utf8))
        case .errorCode(let code, let reason):
            put(StunAttributeType.errorCode, [0, 0, UInt8((code / 100) & 0x07), UInt8(code % 100)] + Array(reason.utf8))
        case .unknownAttributes(let types): put(StunAttributeType.unknownAttributes, types.flatMap { number($0) })
        case .priority(let value): put(StunAttributeType.priority, number(value))
        case .useCandidate: put(StunAttributeType.useCandidate, [])
        case .iceControlled(let tieBreaker): put(StunAttributeType.iceControlled, number(tieBreaker))
        case .iceControlling(let tieBreaker): put(StunAttributeType.iceControlling, number(tieBreaker))
        case .lifetime(let seconds): put(StunAttributeType.lifetime, number(seconds))
        case .requestedTransport(let protocolNumber): put(StunAttributeType.requestedTransport, [protocolNumber, 0, 0, 0])
        case .channelNumber(let channel): put(StunAttributeType.channelNumber, number(channel) + [0, 0])
        case .data(let value): put(StunAttributeType.data, value)
        case .dontFragment: put(StunAttributeType.dontFragment, [])
        case .other(let type, let value): put(type, value)
        }
    }
}
