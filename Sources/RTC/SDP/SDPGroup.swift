extension SDP {
    /// An `a=group` attribute (RFC 5888), in WebRTC almost always `BUNDLE` (RFC 8843): the media
    /// sections whose mids are listed share one transport, the first one being the tagged section.
    public struct Group: Sendable, Hashable {
        public var semantics: String
        public var mids: [String]

        public init(semantics: String, mids: [String]) {
            self.semantics = semantics
            self.mids = mids
        }

        public static func bundle(_ mids: [String]) -> Group { Group(semantics: "BUNDLE", mids: mids) }

        public var isBundle: Bool { semantics == "BUNDLE" }

        static func parse(_ value: String, line: Int) throws(ParseError) -> Group {
            let fields = SDPText.fields(value)
            guard let semantics = fields.first else {
                throw .malformedAttribute(line: line, name: "group", reason: "missing the semantics (such as BUNDLE)")
            }
            return Group(semantics: semantics, mids: Array(fields.dropFirst()))
        }

        var sdpValue: String { ([semantics] + mids).joined(separator: " ") }
    }
}
