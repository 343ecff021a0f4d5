extension MulticastDNSMessage {
    /// Reads a message: header, questions, then every resource record of the answer, authority
    /// and additional sections, keeping the A and AAAA ones. Names may be compressed (RFC 1035
    /// §4.1.4); a pointer must point before the name it is part of, so a loop cannot exist.
    public init(decoding bytes: [UInt8]) throws(MulticastDNSError) {
        var reader = DNSReader(bytes: bytes)
        id = try reader.uint16()
        let flags = try reader.uint16()
        isResponse = flags & 0x8000 != 0
        let questionCount = Int(try reader.uint16())
        let recordCount = Int(try reader.uint16()) + Int(try reader.uint16()) + Int(try reader.uint16())
        questions = []
        addressRecords = []
        for _ in 0..<questionCount {
            let name = try reader.name()
            let type = RecordType(rawValue: try reader.uint16())
            _ = try reader.uint16()  // class, with the QU bit (RFC 6762 §5.4)
            questions.append(Question(name: name, type: type))
        }
        for _ in 0..<recordCount {
            let name = try reader.name()
            let type = RecordType(rawValue: try reader.uint16())
            let recordClass = try reader.uint16() & 0x7FFF  // the top bit is mDNS's cache-flush (RFC 6762 §10.2)
            let ttl = try reader.uint32()
            let data = try reader.bytes(Int(try reader.uint16()))
            guard recordClass == Self.classIN else { continue }
            switch type {
            case .a where data.count == 4, .aaaa where data.count == 16:
                if let address = IPAddress(bytes: data) { addressRecords.append(AddressRecord(name: name, address: address, ttl: ttl)) }
            case .a, .aaaa:
                throw MulticastDNSError("\(type == .a ? "A" : "AAAA") record for \(name) has \(data.count) bytes of data")
            default:
                continue
            }
        }
    }
}

/// A cursor over a DNS message; every read is bounds-checked.
struct DNSReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func uint16() throws(MulticastDNSError) -> UInt16 {
        guard position + 2 <= bytes.count else { throw truncated("a 16-bit field") }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func uint32() throws(MulticastDNSError) -> UInt32 {
        UInt32(try uint16()) << 16 | UInt32(try uint16())
    }

    mutating func bytes(_ count: Int) throws(MulticastDNSError) -> ArraySlice<UInt8> {
        guard position + count <= bytes.count else { throw truncated("\(count) bytes of record data") }
        defer { position += count }
        return bytes[position ..< position + count]
    }

    /// A name at the cursor, following compression pointers; the cursor ends after the name's
    /// bytes at this position (after the first pointer, if any). Returns labels joined by dots.
    mutating func name() throws(MulticastDNSError) -> String {
        var labels: [String] = []
        var length = 1
        var cursor = position
        var resumeAt: Int?
        var lowestStart = position  // pointers must go strictly before every label read so far
        while true {
            guard cursor < bytes.count else { throw truncated("a name") }
            let head = bytes[cursor]
            switch head & 0xC0 {
            case 0x00:
                if head == 0 {
                    position = resumeAt ?? cursor + 1
                    return labels.joined(separator: ".")
                }
                let count = Int(head)
                guard cursor + 1 + count <= bytes.count else { throw truncated("a label") }
                length += 1 + count
                guard length <= MulticastDNSMessage.maxNameLength else { throw MulticastDNSError("a name is longer than 255 bytes") }
                labels.append(String(decoding: bytes[cursor + 1 ... cursor + count], as: UTF8.self))
                cursor += 1 + count
            case 0xC0:
                guard cursor + 1 < bytes.count else { throw truncated("a compression pointer") }
                let target = Int(head & 0x3F) << 8 | Int(bytes[cursor + 1])
                guard target < lowestStart else {
                    throw MulticastDNSError("a compression pointer at \(cursor) points forward to \(target)")
                }
                if resumeAt == nil { resumeAt = cursor + 2 }
                lowestStart = target
                cursor = target
            default:
                throw MulticastDNSError("label type 0x\(String(head & 0xC0, radix: 16)) at \(cursor) is not supported")
            }
        }
    }

    private func truncated(_ what: String) -> MulticastDNSError {
        MulticastDNSError("message truncated: \(bytes.count) bytes end inside \(what) at \(position)")
    }
}
