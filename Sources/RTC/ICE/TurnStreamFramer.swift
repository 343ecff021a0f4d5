/// Delimits TURN messages on a stream connection to a TURN server (TCP or TLS, RFC 8656 §12.5):
/// a stream has no datagram boundaries, so each message is found by its own header. A STUN
/// message (first two bits 00) is 20 bytes of header plus its length; a ChannelData message
/// (first two bits 01) is 4 bytes of header plus its length, padded to a multiple of 4 on a
/// stream, both ways. Anything else means the stream is not TURN (or lost its framing): the
/// connection must close.
///
/// Reads are handed over as they come (split or coalesced); whole messages inside a read are
/// delivered where they lie, and only a message split across reads is gathered in a buffer that
/// keeps its capacity, so steady traffic allocates nothing here.
public struct TurnStreamFramer {
    /// A message cut by a read boundary, gathered until it is whole (at most one, < 64 KiB).
    private var partial: [UInt8] = []

    public init() {}

    /// Feeds bytes read from the stream; calls `deliver` with each complete message, padding
    /// removed, valid only during the call. After a framing error the stream is unusable.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer,
                                 deliver: (UnsafeRawBufferPointer) -> Void) throws(TurnStreamFramingError) {
        var offset = 0
        if !partial.isEmpty {
            while true {
                let needed = try Self.lengths(of: partial)?.frame ?? Self.headerLengthToKnowLength
                if partial.count >= needed { break }
                let take = min(needed - partial.count, bytes.count - offset)
                guard take > 0 else { return }
                partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + take]))
                offset += take
            }
            let messageLength = try Self.lengths(of: partial)?.message ?? 0
            partial.withUnsafeBytes { deliver(UnsafeRawBufferPointer(rebasing: $0[0 ..< messageLength])) }
            partial.removeAll(keepingCapacity: true)
        }
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            guard let lengths = try Self.lengths(of: rest), rest.count >= lengths.frame else { break }
            deliver(UnsafeRawBufferPointer(rebasing: rest[0 ..< lengths.message]))
            offset += lengths.frame
        }
        if offset < bytes.count {
            partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        }
    }

    /// How many bytes `message` takes on a stream: ChannelData is padded with zeros to a
    /// multiple of 4; a STUN message, always a multiple of 4 long, goes as it is.
    public static func framedLength(ofOutgoing message: [UInt8]) -> Int {
        guard let first = message.first, first >> 6 == 1 else { return message.count }
        return (message.count + 3) & ~3
    }

    private static var headerLengthToKnowLength: Int { 4 }
    private static let magicCookie: [UInt8] = [0x21, 0x12, 0xA4, 0x42]

    /// The message's own length and what it takes on the stream (with padding), once its first
    /// 4 bytes are in; nil before. Throws on bytes that cannot start a TURN message.
    private static func lengths(of header: some RandomAccessCollection<UInt8>) throws(TurnStreamFramingError) -> (message: Int, frame: Int)? {
        guard header.count >= headerLengthToKnowLength else { return nil }
        let start = header.startIndex
        let first = header[start]
        let length = Int(header[header.index(start, offsetBy: 2)]) << 8 | Int(header[header.index(start, offsetBy: 3)])
        switch first >> 6 {
        case 0:
            guard length % 4 == 0 else { throw TurnStreamFramingError("a STUN message of length \(length), not a multiple of 4") }
            if header.count >= 8, !header[header.index(start, offsetBy: 4) ..< header.index(start, offsetBy: 8)].elementsEqual(magicCookie) {
                throw TurnStreamFramingError("a STUN header without the magic cookie")
            }
            return (20 + length, 20 + length)
        case 1:
            let channel = Int(first) << 8 | Int(header[header.index(after: start)])
            // RFC 8656 §12: channels are 0x4000-0x4FFF; the rest of 0x4000-0x7FFF is reserved.
            guard channel <= 0x4FFF else { throw TurnStreamFramingError("ChannelData on reserved channel 0x\(String(channel, radix: 16))") }
            return (4 + length, (4 + length + 3) & ~3)
        default:
            throw TurnStreamFramingError("a message starting with 0x\(String(first, radix: 16)), neither STUN nor ChannelData")
        }
    }
}

/// Why a stream to a TURN server cannot be read as TURN messages.
public struct TurnStreamFramingError: Error, Hashable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "not a TURN stream: \(reason)" }
}
