extension SDP {
    /// An `a=extmap` attribute (RFC 8285): the id an RTP header extension uses on the wire.
    public struct ExtensionMap: Sendable, Hashable {
        /// 1–14 for one-byte headers, up to 255 with two-byte headers.
        public var id: UInt16
        /// Written as `id/direction` when the extension is only used one way.
        public var direction: Direction?
        public var uri: String
        /// Extension-specific attributes after the URI, verbatim.
        public var extensionAttributes: String?

        public init(id: UInt16, direction: Direction? = nil, uri: String, extensionAttributes: String? = nil) {
            self.id = id
            self.direction = direction
            self.uri = uri
            self.extensionAttributes = extensionAttributes
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> ExtensionMap {
            let (idField, rest) = SDPText.firstField(of: value)
            let (idText, directionText) = SDPText.split(idField, atFirst: "/")
            guard let id = SDPText.decimal(idText, as: UInt16.self) else {
                throw .malformedAttribute(line: line, name: "extmap", reason: "id \"\(SDPText.excerpt(idText))\" is not a number")
            }
            var direction: Direction?
            if let directionText {
                guard let parsed = Direction(rawValue: directionText) else {
                    throw .malformedAttribute(line: line, name: "extmap", reason: "\"\(SDPText.excerpt(directionText))\" is not a direction")
                }
                direction = parsed
            }
            let (uri, attributes) = SDPText.firstField(of: rest)
            guard !uri.isEmpty else {
                throw .malformedAttribute(line: line, name: "extmap", reason: "missing the extension URI")
            }
            return ExtensionMap(id: id, direction: direction, uri: uri, extensionAttributes: attributes.isEmpty ? nil : attributes)
        }

        var sdpValue: String {
            let head = direction.map { "\(id)/\($0.rawValue) \(uri)" } ?? "\(id) \(uri)"
            return extensionAttributes.map { "\(head) \($0)" } ?? head
        }
    }
}
