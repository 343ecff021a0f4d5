/// A certificate fingerprint as SDP's `a=fingerprint` carries it (RFC 8122 §5): a hash function name
/// and the digest of the DER certificate, printed as uppercase hex pairs joined by colons.
public struct DTLSFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The hash functions of RFC 8122's registry that WebRTC peers use. (md2 and md5 are refused.)
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case sha1 = "sha-1"
        case sha224 = "sha-224"
        case sha256 = "sha-256"
        case sha384 = "sha-384"
        case sha512 = "sha-512"

        public var digestLength: Int {
            switch self {
            case .sha1: 20
            case .sha224: 28
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }
    }

    public var algorithm: Algorithm
    public var digest: [UInt8]

    public init(algorithm: Algorithm, digest: [UInt8]) {
        precondition(digest.count == algorithm.digestLength,
                     "a \(algorithm.rawValue) digest has \(algorithm.digestLength) bytes")
        self.algorithm = algorithm
        self.digest = digest
    }

    /// Parses the attribute value, e.g. `sha-256 AB:CD:…`. The hash name is case-insensitive
    /// (RFC 8122 §5) and so, leniently, are the hex digits.
    public init?(sdpValue: some StringProtocol) {
        let parts = sdpValue.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 2, let algorithm = Algorithm(rawValue: parts[0].lowercased()) else { return nil }
        let pairs = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard pairs.count == algorithm.digestLength else { return nil }
        var digest: [UInt8] = []
        digest.reserveCapacity(pairs.count)
        for pair in pairs {
            guard pair.utf8.count == 2, let byte = UInt8(pair, radix: 16) else { return nil }
            digest.append(byte)
        }
        self.init(algorithm: algorithm, digest: digest)
    }

    /// The attribute value, e.g. `sha-256 AB:CD:…`.
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
}
