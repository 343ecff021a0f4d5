extension SDP {
    /// An `a=rtpmap` attribute: which codec a dynamic payload type stands for.
    public struct RTPMap: Sendable, Hashable {
        public var payloadType: UInt8
        /// The encoding name as written (`opus`, `VP8`, `H264`, `rtx`); compare case-insensitively.
        public var encodingName: String
        public var clockRate: UInt32
        /// The channel count for audio (`opus/48000/2`); nil when not written.
        public var channels: UInt8?

        public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: UInt8? = nil) {
            self.payloadType = payloadType
            self.encodingName = encodingName
            self.clockRate = clockRate
            self.channels = channels
        }

        /// Whether this is a retransmission format (RFC 4588), which carries another payload
        /// type's packets and names it with `apt=` in its fmtp.
        public var isRetransmission: Bool { hasEncodingName("rtx") }

        public func hasEncodingName(_ name: String) -> Bool {
            encodingName.lowercased() == name.lowercased()
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> RTPMap {
            let fields = SDPText.fields(value)
            guard fields.count == 2 else {
                throw .malformedAttribute(line: line, name: "rtpmap", reason: "expected \"<payload type> <encoding>/<clock rate>[/<channels>]\", found \(fields.count) fields")
            }
            let payloadType = try SDPPayloadType.parse(fields[0], line: line)
            let parts = SDPText.pieces(fields[1], separatedBy: "/")
            guard (2...3).contains(parts.count), !parts[0].isEmpty else {
                throw .malformedAttribute(line: line, name: "rtpmap", reason: "encoding \"\(SDPText.excerpt(fields[1]))\" is not <name>/<clock rate>[/<channels>]")
            }
            guard let clockRate = SDPText.decimal(parts[1], as: UInt32.self), clockRate > 0 else {
                throw .malformedAttribute(line: line, name: "rtpmap", reason: "clock rate \"\(SDPText.excerpt(parts[1]))\" is not a positive number")
            }
            var channels: UInt8?
            if parts.count == 3 {
                guard let count = SDPText.decimal(parts[2], as: UInt8.self), count > 0 else {
                    throw .malformedAttribute(line: line, name: "rtpmap", reason: "channel count \"\(SDPText.excerpt(parts[2]))\" is not a number from 1 to 255")
                }
                channels = count
            }
            return RTPMap(payloadType: payloadType, encodingName: parts[0], clockRate: clockRate, channels: channels)
        }

        var sdpValue: String {
            let encoding = "\(encodingName)/\(clockRate)"
            return "\(payloadType) " + (channels.map { "\(encoding)/\($0)" } ?? encoding)
        }
    }
}
