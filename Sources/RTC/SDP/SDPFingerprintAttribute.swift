/// Reading `a=fingerprint` (RFC 8122 §5) into the model's `DTLSFingerprint`.
enum SDPFingerprintAttribute {
    /// The fingerprint, or nil for one we cannot use: a hash function other than sha-1…sha-512, or
    /// a digest that is not hex pairs of that function's length. RFC 8122 has a peer use the ones
    /// it supports, and browsers may list several, so such a line is no reason to refuse the
    /// description; the parsers keep it verbatim with the unmodelled attributes. A value that is not
    /// two fields is not a fingerprint at all, and an error like any malformed attribute.
    static func parse(_ value: String, line: Int) throws(SDP.ParseError) -> DTLSFingerprint? {
        let fields = SDPText.fields(value)
        guard fields.count == 2 else {
            throw .malformedAttribute(line: line, name: "fingerprint", reason: "expected a hash function and a hex value, found \(fields.count) fields")
        }
        return DTLSFingerprint(hashFunction: fields[0], digestHex: fields[1])
    }
}
