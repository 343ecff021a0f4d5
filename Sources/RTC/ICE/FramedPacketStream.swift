/// RFC 4571 framing, what ICE-TCP (RFC 6544 §3) carries packets in: each STUN, DTLS, SRTP or
/// SRTCP packet is preceded by its length as 2 bytes, big-endian. A stream has no datagram
/// boundaries, so reads come split or coalesced; the reader cuts them into packets again.
///
/// Whole frames inside a read are delivered where they lie; only a frame cut by a read
/// boundary is gathered in a buffer that keeps its capacity, so steady traffic allocates
/// nothing here. A frame longer than `maximumPacketLength` (no datagram we accept is) means the
/// peer is not speaking ICE-TCP, or lost its framing: the connection must close. A 0-length
/// frame carries nothing and is skipped.
public struct FramedPacketReader {
    public let maximumPacketLength: Int
    /// Bytes of a frame (length prefix included) cut by a read boundary, until it is whole.
    private var partial: [UInt8] = []

    public init(maximumPacketLength: Int = 2_048) {
        self.maximumPacketLength = maximumPacketLength
    }

    /// Feeds bytes read from the stream; calls `deliver` with each complete packet, valid only
    /// during the call and writable (SRTP decrypts in place; the read buffer is the caller's to
    /// lend). After an error the stream is unusable.
    public mutating func receive(_ bytes: UnsafeMutableRawBufferPointer,
                                 deliver: (UnsafeMutableRawBufferPointer) -> Void) throws(FramedPacketError) {
        var offset = 0
        if !partial.isEmpty {
            // Complete the cut frame: first its length prefix, then its packet.
            while true {
                let needed = try partial.count >= 2 ? 2 + checkedLength(partial[0], partial[1]) : 2
                if partial.count >= needed { break }
                let take = min(needed - partial.count, bytes.count - offset)
                guard take > 0 else { return }
                partial.append(contentsOf: UnsafeMutableRawBufferPointer(rebasing: bytes[offset ..< offset + take]))
                offset += take
            }
            if partial.count > 2 {
                partial.withUnsafeMutableBytes { deliver(UnsafeMutableRawBufferPointer(rebasing: $0[2...])) }
            }
            partial.removeAll(keepingCapacity: true)
        }
        while bytes.count - offset >= 2 {
            let length = try checkedLength(bytes[offset], bytes[offset + 1])
            guard bytes.count - offset - 2 >= length else { break }
            if length > 0 { deliver(UnsafeMutableRawBufferPointer(rebasing: bytes[offset + 2 ..< offset + 2 + length])) }
            offset += 2 + length
        }
        if offset < bytes.count {
            partial.append(contentsOf: UnsafeMutableRawBufferPointer(rebasing: bytes[offset...]))
        }
    }

    private func checkedLength(_ high: UInt8, _ low: UInt8) throws(FramedPacketError) -> Int {
        let length = Int(high) << 8 | Int(low)
        guard length <= maximumPacketLength else {
            throw FramedPacketError("a frame of \(length) bytes, more than the \(maximumPacketLength) a packet may have")
        }
        return length
    }
}

/// Writes packets as RFC 4571 frames.
public enum FramedPacketWriter {
    /// The length prefix for `packet`, nil when it cannot be framed (65,535 bytes or more).
    public static func lengthPrefix(ofPacketWithLength length: Int) -> (UInt8, UInt8)? {
        guard length <= Int(UInt16.max) else { return nil }
        return (UInt8(length >> 8), UInt8(length & 0xFF))
    }

    /// `packet` with its length prefix, nil when it is too long to frame.
    public static func frame(_ packet: [UInt8]) -> [UInt8]? {
        guard let (high, low) = lengthPrefix(ofPacketWithLength: packet.count) else { return nil }
        return [high, low] + packet
    }
}

/// Why a stream cannot be read as RFC 4571 frames.
public struct FramedPacketError: Error, Hashable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "not an ICE-TCP stream: \(reason)" }
}
