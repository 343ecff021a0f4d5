extension SDP {
    /// The `o=` line: who created the session and which revision of it this is.
    ///
    /// JSEP (RFC 8829 §5.2.1) requires the session version to grow with every new description of
    /// the same session, which is why it is a number rather than opaque text.
    public struct Origin: Sendable, Hashable {
        public var username: String
        public var sessionID: UInt64
        public var sessionVersion: UInt64
        public var networkType: String
        public var addressType: String
        public var address: String

        public init(
            username: String = "-", sessionID: UInt64, sessionVersion: UInt64,
            networkType: String = "IN", addressType: String = "IP4", address: String = "127.0.0.1"
        ) {
            self.username = username
            self.sessionID = sessionID
            self.sessionVersion = sessionVersion
            self.networkType = networkType
            self.addressType = addressType
            self.address = address
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> Origin {
            let fields = SDPText.fields(value)
            guard fields.count == 6 else {
                throw .malformedOrigin(line: line, reason: "expected 6 fields (username session-id version nettype addrtype address), found \(fields.count)")
            }
            guard let sessionID = SDPText.decimal(fields[1], as: UInt64.self) else {
                throw .malformedOrigin(line: line, reason: "session id \"\(SDPText.excerpt(fields[1]))\" is not a 64-bit number")
            }
            guard let version = SDPText.decimal(fields[2], as: UInt64.self) else {
                throw .malformedOrigin(line: line, reason: "session version \"\(SDPText.excerpt(fields[2]))\" is not a 64-bit number")
            }
            return Origin(
                username: fields[0], sessionID: sessionID, sessionVersion: version,
                networkType: fields[3], addressType: fields[4], address: fields[5])
        }

        var sdpValue: String {
            "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(address)"
        }
    }
}
