extension SDP {
    /// The `a=setup` attribute (RFC 4145, RFC 5763): which side opens the DTLS association.
    /// `active` is the DTLS client, `passive` the DTLS server.
    public enum SetupRole: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case actpass
        case active
        case passive
        case holdconn

        static func parse(_ value: String, line: Int) throws(ParseError) -> SetupRole {
            guard let role = SetupRole(rawValue: value) else {
                throw .malformedAttribute(line: line, name: "setup", reason: "\"\(SDPText.excerpt(value))\" is not actpass, active, passive or holdconn")
            }
            return role
        }

        public var description: String { rawValue }
    }
}
