extension SDP {
    /// An `a=fingerprint` attribute (RFC 8122): the hash of a DTLS certificate, which the peer's
    /// certificate must match during the handshake.
    public struct Fingerprint: Sendable, Hashable, CustomStringConvertible {
        /// The hash function as written, e.g. `sha-256`. Compare with `hasAlgorithm(_:)`:
        /// RFC 8122 makes the name case-insensitive.
        public var algorithm: String
        /// Upper- or lower-case hex byte pairs separated by colons, as written.
        public var value: String

        public init(algorithm: String, value: String) {
            self.algorithm = algorithm
            self.value = value
        }

        /// A fingerprint in the canonical form browsers write: upper-case hex pairs joined by `:`.
        public init(algorithm: String = "sha-256", bytes: [UInt8]) {
            let digits = Array("0123456789ABCDEF".unicodeScalars)
            let pairs = bytes.map { byte in
                var pair = String.UnicodeScalarView()
                pair.append(digits[Int(byte >> 4)])
                pair.append(digits[Int(byte & 0x0F)])
                return String(pair)
            }
            self.init(algorithm: algorithm, value: pairs.joined(separator: ":"))
        }

        /// The hash bytes, or nil when `value` is not colon-separated hex pairs.
        public var bytes: [UInt8]? {
            var result: [UInt8] = []
            for pair in SDPText.pieces(value, separatedBy: ":") {
                guard pair.utf8.count == 2, let byte = UInt8(pair, radix: 16) else { return nil }
                result.append(byte)
            }
            return result
        }

        public func hasAlgorithm(_ name: String) -> Bool {
            algorithm.lowercased() == name.lowercased()
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> Fingerprint {
            let fields = SDPText.fields(value)
            guard fields.count == 2 else {
                throw .malformedAttribute(line: line, name: "fingerprint", reason: "expected a hash function and a hex value, found \(fields.count) fields")
            }
            return Fingerprint(algorithm: fields[0], value: fields[1])
        }

        var sdpValue: String { "\(algorithm) \(value)" }
        public var description: String { sdpValue }
    }
}
