extension SDP {
    /// An `a=rtcp-fb` attribute (RFC 4585): an RTCP feedback message the author can act on for a
    /// payload type, or for all of them (`*`).
    public struct RTCPFeedback: Sendable, Hashable {
        /// nil for the wildcard `*`.
        public var payloadType: UInt8?
        /// `nack`, `ccm`, `goog-remb`, `transport-cc`, …
        public var type: String
        /// What follows the type, such as `pli` for `nack pli` or `fir` for `ccm fir`.
        public var parameter: String?

        public init(payloadType: UInt8?, type: String, parameter: String? = nil) {
            self.payloadType = payloadType
            self.type = type
            self.parameter = parameter
        }

        /// Whether this is the same kind of feedback as `other`, whatever payload type it is for.
        public func hasSameMessage(as other: RTCPFeedback) -> Bool {
            type == other.type && parameter == other.parameter
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> RTCPFeedback {
            let (token, rest) = SDPText.firstField(of: value)
            guard !token.isEmpty else {
                throw .malformedAttribute(line: line, name: "rtcp-fb", reason: "missing the payload type")
            }
            let payloadType: UInt8? = token == "*" ? nil : try SDPPayloadType.parse(token, line: line)
            let (type, parameter) = SDPText.firstField(of: rest)
            guard !type.isEmpty else {
                throw .malformedAttribute(line: line, name: "rtcp-fb", reason: "missing the feedback type")
            }
            return RTCPFeedback(payloadType: payloadType, type: type, parameter: parameter.isEmpty ? nil : parameter)
        }

        var sdpValue: String {
            let target = payloadType.map(String.init) ?? "*"
            return parameter.map { "\(target) \(type) \($0)" } ?? "\(target) \(type)"
        }
    }
}
