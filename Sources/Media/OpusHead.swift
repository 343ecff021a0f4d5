/// The Opus identification header (RFC 7845 §5.1), which WebM (CodecPrivate), Ogg (the first
/// page) and MP4 (dOps, built from it by libavformat) all need before the first packet.
enum OpusHead {
    static let magic = Array("OpusHead".utf8)

    /// Channel mapping family 0: mono or stereo, no mapping table. More channels need family 1
    /// and a stream/coupling table only the sender's SDP knows, so the caller must supply those.
    static func make(channels: Int, preSkip: Int, inputSampleRate: Int = 48_000) -> [UInt8]? {
        guard (1...2).contains(channels), (0...Int(UInt16.max)).contains(preSkip) else { return nil }
        var head = magic
        head.append(1)  // version
        head.append(UInt8(channels))
        head.append(contentsOf: littleEndian(UInt16(preSkip)))
        head.append(contentsOf: littleEndian(UInt32(clamping: inputSampleRate)))
        head.append(contentsOf: [0, 0])  // output gain, Q7.8 dB
        head.append(0)  // mapping family
        return head
    }

    /// Enough of a header for a muxer to accept it: the magic, version 1 (upper nibble 0 means
    /// compatible, RFC 7845 §5.1 item 2) and room for the fixed fields.
    static func isPlausible(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 19 && bytes.starts(with: magic) && bytes[8] >> 4 == 0
    }

    /// Pre-skip as the header says (bytes 10–11, little-endian).
    static func preSkip(of bytes: [UInt8]) -> Int { Int(bytes[10]) | Int(bytes[11]) << 8 }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
