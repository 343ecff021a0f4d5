extension SDP {
    /// An `a=ssrc-group` attribute (RFC 5576): `FID` pairs a media SSRC with its retransmission
    /// SSRC, `SIM` lists simulcast layers from lowest to highest.
    public struct SSRCGroup: Sendable, Hashable {
        public var semantics: String
        public var ssrcs: [UInt32]

        public init(semantics: String, ssrcs: [UInt32]) {
            self.semantics = semantics
            self.ssrcs = ssrcs
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> SSRCGroup {
            let fields = SDPText.fields(value)
            guard let semantics = fields.first else {
                throw .malformedAttribute(line: line, name: "ssrc-group", reason: "missing the semantics (such as FID)")
            }
            var ssrcs: [UInt32] = []
            for field in fields.dropFirst() {
                guard let ssrc = SDPText.decimal(field, as: UInt32.self) else {
                    throw .malformedAttribute(line: line, name: "ssrc-group", reason: "\"\(SDPText.excerpt(field))\" is not a 32-bit SSRC")
                }
                ssrcs.append(ssrc)
            }
            return SSRCGroup(semantics: semantics, ssrcs: ssrcs)
        }

        var sdpValue: String { ([semantics] + ssrcs.map(String.init)).joined(separator: " ") }
    }
}
