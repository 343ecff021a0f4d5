/// Cuts one fuzz input into several messages, for parsers that keep state between them
/// (depacketizers, DTLS, TURN): each message is a 2-byte big-endian length, one byte of flags for
/// the harness, and that many bytes (fewer when the input ends first). A plain byte string is a
/// valid input too, so the mutator needs no knowledge of the format to get somewhere.
struct FuzzInput {
    struct Message {
        var flags: UInt8
        var bytes: [UInt8]
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func next() -> Message? {
        guard bytes.count - offset >= 3 else { return nil }
        let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
        let flags = bytes[offset + 2]
        let start = offset + 3
        let end = min(bytes.count, start + length)
        offset = end
        return Message(flags: flags, bytes: Array(bytes[start..<end]))
    }
}
