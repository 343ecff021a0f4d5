/// Goodbye, PT 203 (RFC 3550 §6.6): the listed sources are leaving, optionally saying why.
public struct RTCPGoodbye: Sendable, Hashable {
    /// At most 31 are written (the SC field has 5 bits).
    public var ssrcs: [UInt32]
    /// The reason as octets (UTF-8 text by §6.6), kept raw so any octets survive a round trip;
    /// at most 255 are written.
    public var reason: [UInt8]?

    public init(ssrcs: [UInt32], reason: [UInt8]? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason
    }

    public init(ssrcs: [UInt32], reasonText: String) {
        self.init(ssrcs: ssrcs, reason: Array(reasonText.utf8))
    }

    /// The reason as text, with invalid UTF-8 replaced.
    public var reasonText: String? { reason.map { String(decoding: $0, as: UTF8.self) } }

    init(parsing body: RTCPPacketBody) throws(RTCPParseError) {
        let bytes = body.bytes
        let count = Int(body.count)
        guard count * 4 <= bytes.count else {
            throw .countTooLarge(packetType: body.packetType, count: count, offset: body.offset)
        }
        ssrcs = (0..<count).map { bytes.readUInt32(at: $0 * 4) }
        // Anything after the SSRCs is a length octet and the reason, then null padding.
        let lengthOffset = count * 4
        if lengthOffset < bytes.count {
            let reasonEnd = lengthOffset + 1 + Int(bytes[lengthOffset])
            guard reasonEnd <= bytes.count else { throw body.truncated }
            reason = Array(bytes[(lengthOffset + 1)..<reasonEnd])
        } else {
            reason = nil
        }
    }

    public func serialize(into bytes: inout [UInt8]) {
        let written = ssrcs.prefix(31)
        let start = bytes.beginRTCPPacket(count: UInt8(written.count), packetType: RTCPPacketType.goodbye)
        for ssrc in written { bytes.appendUInt32(ssrc) }
        if let reason {
            let text = reason.prefix(255)
            bytes.append(UInt8(text.count))
            bytes.append(contentsOf: text)
            bytes.appendZeroPadding(packetStart: start)
        }
        bytes.finishRTCPPacket(startingAt: start)
    }
}
