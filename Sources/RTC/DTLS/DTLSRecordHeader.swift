/// The header in front of every DTLS record (RFC 6347 §4.1): content type (1 byte), version (2),
/// epoch (2), sequence number (6) and fragment length (2).
struct DTLSRecordHeader {
    static let length = 13

    var contentType: UInt8
    var majorVersion: UInt8
    var epoch: UInt16
    var fragmentLength: Int

    /// Nil when fewer than `length` bytes remain at `offset`.
    init?<Bytes: RandomAccessCollection<UInt8>>(in bytes: Bytes, at offset: Int) where Bytes.Index == Int {
        guard offset >= 0, bytes.count - offset >= Self.length else { return nil }
        let start = bytes.startIndex + offset
        contentType = bytes[start]
        majorVersion = bytes[start + 1]
        epoch = UInt16(bytes[start + 3]) << 8 | UInt16(bytes[start + 4])
        fragmentLength = Int(bytes[start + 11]) << 8 | Int(bytes[start + 12])
    }

    /// Where the record ends, given where it starts.
    func end(startingAt offset: Int) -> Int { offset + Self.length + fragmentLength }
}
