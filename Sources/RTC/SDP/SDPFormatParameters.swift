extension SDP {
    /// An `a=fmtp` attribute: codec parameters for one payload type.
    ///
    /// The text is kept verbatim (`raw`) because its grammar belongs to each codec: most use
    /// `key=value;key=value`, but RED writes `111/111` and telephone-event `0-15`. Answers copy it
    /// unchanged, so nothing is lost by re-formatting.
    public struct FormatParameters: Sendable, Hashable {
        public var payloadType: UInt8
        public var raw: String

        public init(payloadType: UInt8, raw: String) {
            self.payloadType = payloadType
            self.raw = raw
        }

        /// Parameters written as `key=value` pairs joined by `;`, in that order.
        public init(payloadType: UInt8, parameters: [(key: String, value: String)]) {
            self.init(payloadType: payloadType, raw: parameters.map { "\($0.key)=\($0.value)" }.joined(separator: ";"))
        }

        /// The `key=value` pairs in order; pieces without `=` (such as RED's `111/111`) are skipped.
        public var parameters: [(key: String, value: String)] {
            SDPText.pieces(raw, separatedBy: ";").compactMap { piece in
                let (key, value) = SDPText.split(piece, atFirst: "=")
                guard let value else { return nil }
                return (SDPText.trimmed(key), SDPText.trimmed(value))
            }
        }

        /// The value of `key`, compared case-insensitively (RFC 6184 and RFC 7587 parameter names
        /// are case-insensitive); the first occurrence wins.
        public subscript(key: String) -> String? {
            let wanted = key.lowercased()
            return parameters.first { $0.key.lowercased() == wanted }?.value
        }

        /// For an RTX format: the payload type it retransmits (`apt=`).
        public var associatedPayloadType: UInt8? {
            self["apt"].flatMap { SDPText.decimal($0, as: UInt8.self) }.flatMap { $0 <= 127 ? $0 : nil }
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> FormatParameters {
            let (token, rest) = SDPText.firstField(of: value)
            guard !token.isEmpty else {
                throw .malformedAttribute(line: line, name: "fmtp", reason: "missing the payload type")
            }
            return FormatParameters(payloadType: try SDPPayloadType.parse(token, line: line), raw: rest)
        }

        var sdpValue: String { raw.isEmpty ? "\(payloadType)" : "\(payloadType) \(raw)" }
    }
}
