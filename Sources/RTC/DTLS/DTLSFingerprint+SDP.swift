extension DTLSFingerprint: CustomStringConvertible {
    /// Parses the attribute value, e.g. `sha-256 AB:CD:…`; see `init?(hashFunction:digestHex:)`.
    public init?(sdpValue: some StringProtocol) {
        let fields = SDPText.fields(String(sdpValue))
        guard fields.count == 2 else { return nil }
        self.init(hashFunction: fields[0], digestHex: fields[1])
    }

    /// A fingerprint from the two fields of `a=fingerprint`. The hash name is case-insensitive
    /// (RFC 8122 §5) and so, leniently, are the hex digits. Nil when the hash function is not one
    /// of `Algorithm` or the digest is not that many colon-separated hex pairs: RFC 8122 has a
    /// peer use the fingerprints it supports, so callers skip such a one rather than fail.
    public init?(hashFunction: some StringProtocol, digestHex: some StringProtocol) {
        guard let algorithm = Algorithm(rawValue: hashFunction.lowercased()) else { return nil }
        let pairs = SDPText.pieces(String(digestHex), separatedBy: ":")
        guard pairs.count == algorithm.digestLength else { return nil }
        var digest: [UInt8] = []
        digest.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let byte = Self.byte(hexPair: pair) else { return nil }
            digest.append(byte)
        }
        self.init(algorithm: algorithm, digest: digest)
    }

    /// The attribute value in the form browsers write: `sha-256 AB:CD:…`, upper-case hex.
    public var sdpValue: String {
        "\(algorithm.rawValue) \(digestHex)"
    }

    public var description: String { sdpValue }

    private var digestHex: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(digest.count * 3)
        for (index, byte) in digest.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ":")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Exactly two hex digits. Not `UInt8(_:radix:)`, which also takes a sign (`+F`).
    private static func byte(hexPair pair: String) -> UInt8? {
        let digits = Array(pair.utf8)
        guard digits.count == 2, let high = nibble(digits[0]), let low = nibble(digits[1]) else { return nil }
        return high << 4 | low
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
