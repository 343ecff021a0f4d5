extension SDP {
    /// The session-level `a=msid-semantic` attribute (`WMS` plus stream ids, or `*`), which older
    /// Chromium and some SFUs still expect even though RFC 8830 dropped it.
    public struct MSIDSemantic: Sendable, Hashable {
        public var semantic: String
        public var identifiers: [String]

        public init(semantic: String = "WMS", identifiers: [String] = []) {
            self.semantic = semantic
            self.identifiers = identifiers
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> MSIDSemantic {
            let fields = SDPText.fields(value)
            guard let semantic = fields.first else {
                throw .malformedAttribute(line: line, name: "msid-semantic", reason: "missing the semantic (such as WMS)")
            }
            return MSIDSemantic(semantic: semantic, identifiers: Array(fields.dropFirst()))
        }

        /// Written with a space after the colon, as Chromium writes it.
        var sdpValue: String { " " + ([semantic] + identifiers).joined(separator: " ") }
    }
}
