extension SDP {
    /// A `c=` line. With ICE the address is only a default (JSEP uses `IN IP4 0.0.0.0` until a
    /// candidate is chosen), but it is kept so a description re-serializes as it was received.
    public struct Connection: Sendable, Hashable {
        public var networkType: String
        public var addressType: String
        /// The address, including any `/ttl` or `/count` suffix as written.
        public var address: String

        public init(networkType: String = "IN", addressType: String = "IP4", address: String = "0.0.0.0") {
            self.networkType = networkType
            self.addressType = addressType
            self.address = address
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> Connection {
            let fields = SDPText.fields(value)
            guard fields.count == 3 else {
                throw .malformedConnection(line: line, reason: "expected nettype addrtype address, found \(fields.count) fields")
            }
            return Connection(networkType: fields[0], addressType: fields[1], address: fields[2])
        }

        var sdpValue: String { "\(networkType) \(addressType) \(address)" }
    }
}
