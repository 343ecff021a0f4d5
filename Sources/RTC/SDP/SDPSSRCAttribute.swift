extension SDP {
    /// An `a=ssrc` attribute (RFC 5576): a property of one RTP source the author sends, such as
    /// its `cname` (which ties audio and video together for lip sync) or legacy `msid`.
    public struct SSRCAttribute: Sendable, Hashable {
        public var ssrc: UInt32
        public var attribute: String
        /// Everything after `attribute:`; nil for a bare attribute.
        public var value: String?

        public init(ssrc: UInt32, attribute: String, value: String? = nil) {
            self.ssrc = ssrc
            self.attribute = attribute
            self.value = value
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> SSRCAttribute {
            let (ssrcText, rest) = SDPText.firstField(of: value)
            guard let ssrc = SDPText.decimal(ssrcText, as: UInt32.self) else {
                throw .malformedAttribute(line: line, name: "ssrc", reason: "\"\(SDPText.excerpt(ssrcText))\" is not a 32-bit SSRC")
            }
            guard !rest.isEmpty else {
                throw .malformedAttribute(line: line, name: "ssrc", reason: "missing the source attribute (such as cname:)")
            }
            let (attribute, attributeValue) = SDPText.split(rest, atFirst: ":")
            return SSRCAttribute(ssrc: ssrc, attribute: attribute, value: attributeValue)
        }

        var sdpValue: String {
            value.map { "\(ssrc) \(attribute):\($0)" } ?? "\(ssrc) \(attribute)"
        }
    }
}
