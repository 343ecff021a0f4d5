/// The DNS messages (RFC 1035 §4.1) Tapedeck exchanges over multicast DNS (RFC 6762): it writes
/// one-question queries and reads the address records (A, AAAA) out of responses. Everything
/// else a response may carry (NSEC, TXT, SRV…) is skipped over, not interpreted.
public struct MulticastDNSMessage: Sendable, Hashable {
    /// A record type (RFC 1035 §3.2.2, RFC 3596 §2.1, RFC 4034 §4).
    public struct RecordType: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let a = RecordType(rawValue: 1)
        public static let aaaa = RecordType(rawValue: 28)
        public static let nsec = RecordType(rawValue: 47)
    }

    public struct Question: Sendable, Hashable {
        public var name: String
        public var type: RecordType

        public init(name: String, type: RecordType) {
            self.name = name
            self.type = type
        }
    }

    /// An A or AAAA record from any section of a response: mDNS responders put the record that
    /// answers in the answer section, and (Chromium, in a negative answer for the other address
    /// family) in the additional section.
    public struct AddressRecord: Sendable, Hashable {
        public var name: String
        public var address: IPAddress
        /// Seconds; 0 is a goodbye (RFC 6762 §10.1): the name no longer has this address.
        public var ttl: UInt32

        public init(name: String, address: IPAddress, ttl: UInt32) {
            self.name = name
            self.address = address
            self.ttl = ttl
        }
    }

    public var id: UInt16
    public var isResponse: Bool
    public var questions: [Question]
    public var addressRecords: [AddressRecord]

    /// The query for `name` (RFC 6762 §5.1 one-shot query; §18: ID 0, class IN). The QU bit is
    /// deliberately clear: Chromium's responder ignores a question whose class is not plain IN.
    public static func query(for name: String, type: RecordType) throws(MulticastDNSError) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]  // ID, flags, QDCOUNT 1, AN/NS/AR 0
        try appendName(name, to: &bytes)
        bytes.appendBigEndian(type.rawValue)
        bytes.appendBigEndian(Self.classIN)
        return bytes
    }

    static let classIN: UInt16 = 1
    static let headerLength = 12
    static let maxNameLength = 255
    static let maxLabelLength = 63

    static func appendName(_ name: String, to bytes: inout [UInt8]) throws(MulticastDNSError) {
        let labels = name.hasSuffix(".") ? name.dropLast().split(separator: ".", omittingEmptySubsequences: false)
                                         : name.split(separator: ".", omittingEmptySubsequences: false)
        var length = 1
        for label in labels {
            let utf8 = Array(label.utf8)
            guard (1...maxLabelLength).contains(utf8.count) else {
                throw MulticastDNSError("name '\(name.prefix(80))' has a label of \(utf8.count) bytes (1...63 allowed)")
            }
            length += 1 + utf8.count
            bytes.append(UInt8(utf8.count))
            bytes.append(contentsOf: utf8)
        }
        guard length <= maxNameLength else { throw MulticastDNSError("name '\(name.prefix(80))' is longer than 255 bytes") }
        bytes.append(0)
    }
}

/// Why bytes are not a DNS message we can read, or a name cannot be written.
public struct MulticastDNSError: Error, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }
}
