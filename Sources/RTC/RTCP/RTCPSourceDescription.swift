/// Source description, PT 202 (RFC 3550 §6.5): per-SSRC items, of which WebRTC uses the CNAME
/// that ties a participant's streams together.
public struct RTCPSourceDescription: Sendable, Hashable {
    /// An SDES item type (RFC 3550 §6.5); 0 ends an item list and is never an item.
    public struct ItemType: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let cname = ItemType(rawValue: 1)
        public static let name = ItemType(rawValue: 2)
        public static let email = ItemType(rawValue: 3)
        public static let phone = ItemType(rawValue: 4)
        public static let location = ItemType(rawValue: 5)
        public static let tool = ItemType(rawValue: 6)
        public static let note = ItemType(rawValue: 7)
        public static let privateExtension = ItemType(rawValue: 8)
    }

    /// One item. The value is kept as octets so text that is not UTF-8 survives a round trip.
    public struct Item: Sendable, Hashable {
        public var type: ItemType
        /// At most 255 octets are written; items of type 0 are not written.
        public var value: [UInt8]

        public init(type: ItemType, value: [UInt8]) {
            self.type = type
            self.value = value
        }

        public static func cname(_ text: String) -> Item { Item(type: .cname, value: Array(text.utf8)) }

        /// The value as text (RFC 3550 §6.5: UTF-8), with invalid octets replaced.
        public var text: String { String(decoding: value, as: UTF8.self) }
    }

    /// The items of one source.
    public struct Chunk: Sendable, Hashable {
        public var ssrc: UInt32
        public var items: [Item]

        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }

        /// The first CNAME item's text.
        public var cname: String? { items.first { $0.type == .cname }?.text }
    }

    /// At most 31 chunks are written (the SC field has 5 bits), and items past what one packet's
    /// length field can count (256 KiB) are dropped.
    public var chunks: [Chunk]

    public init(chunks: [Chunk]) { self.chunks = chunks }

    /// Each chunk is an SSRC and items, closed by one to four null octets that also pad it to
    /// 32 bits (§6.5). Octets after the SC-th chunk are ignored: some senders (aiortc) pad more.
    init(parsing body: RTCPPacketBody) throws(RTCPParseError) {
        let bytes = body.bytes
        var position = 0
        chunks = []
        for _ in 0..<Int(body.count) {
            guard position + 4 <= bytes.count else {
                throw .countTooLarge(packetType: body.packetType, count: Int(body.count), offset: body.offset)
            }
            var chunk = Chunk(ssrc: bytes.readUInt32(at: position), items: [])
            position += 4
            while true {
                guard position < bytes.count else { throw .malformedSourceDescription(offset: body.offset) }
                let type = bytes[position]
                if type == 0 { break }
                guard position + 2 <= bytes.count else { throw .malformedSourceDescription(offset: body.offset) }
                let valueStart = position + 2
                let valueEnd = valueStart + Int(bytes[position + 1])
                guard valueEnd <= bytes.count else { throw .malformedSourceDescription(offset: body.offset) }
                chunk.items.append(Item(type: ItemType(rawValue: type), value: Array(bytes[valueStart..<valueEnd])))
                position = valueEnd
            }
            // Past the null octet, to the next 32-bit boundary.
            position = min((position / 4 + 1) * 4, bytes.count)
            chunks.append(chunk)
        }
    }

    public func serialize(into bytes: inout [UInt8]) {
        let written = chunks.prefix(31)
        let start = bytes.beginRTCPPacket(count: UInt8(written.count), packetType: RTCPPacketType.sourceDescription)
        // Leaves room for every chunk's SSRC and terminator, so the length field cannot overflow.
        let itemBudgetEnd = start + RTCPPacketType.maximumPacketLength - written.count * 8 - 4
        for chunk in written {
            bytes.appendUInt32(chunk.ssrc)
            for item in chunk.items where item.type.rawValue != 0 {
                let value = item.value.prefix(255)
                guard bytes.count + 2 + value.count <= itemBudgetEnd else { break }
                bytes.append(item.type.rawValue)
                bytes.append(UInt8(value.count))
                bytes.append(contentsOf: value)
            }
            // The null item type ends the list; more nulls pad the chunk to 32 bits (§6.5).
            bytes.append(0)
            bytes.appendZeroPadding(packetStart: start)
        }
        bytes.finishRTCPPacket(startingAt: start)
    }
}
