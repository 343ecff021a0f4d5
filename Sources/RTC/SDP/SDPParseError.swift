extension SDP {
    /// Why a session description could not be parsed, and on which line (1-based).
    ///
    /// The parser is lenient about what browsers disagree on (line endings, unknown lines, unknown
    /// attributes, unparseable candidates) and strict where guessing could change the meaning of
    /// the session: the m= line, payload types, codec maps, DTLS and ICE parameters.
    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The description does not start with `v=`.
        case missingVersion(line: Int)
        /// `v=` carries something other than `0`.
        case unsupportedVersion(line: Int, value: String)
        /// A non-blank line that is not `<letter>=<value>`.
        case malformedLine(line: Int, text: String)
        /// A line that cannot appear where it does, such as a second `o=` or a `t=` inside a media
        /// section (usually two descriptions pasted together).
        case misplacedLine(line: Int, type: Character, reason: String)
        /// No `o=` line before the first media section (or the end).
        case missingOrigin(line: Int)
        case malformedOrigin(line: Int, reason: String)
        case malformedTiming(line: Int, reason: String)
        case malformedConnection(line: Int, reason: String)
        case malformedMediaLine(line: Int, reason: String)
        /// A payload type that is not a number from 0 to 127 (in `m=`, `a=rtpmap`, `a=fmtp` or
        /// `a=rtcp-fb`).
        case invalidPayloadType(line: Int, value: String)
        /// Two `a=rtpmap` lines for one payload type in one media section.
        case duplicatePayloadType(line: Int, payloadType: UInt8)
        /// A known attribute whose value does not have the required shape.
        case malformedAttribute(line: Int, name: String, reason: String)

        /// The 1-based line number the problem was found on.
        public var line: Int {
            switch self {
            case .missingVersion(let line), .unsupportedVersion(let line, _), .malformedLine(let line, _),
                 .misplacedLine(let line, _, _), .missingOrigin(let line), .malformedOrigin(let line, _),
                 .malformedTiming(let line, _), .malformedConnection(let line, _), .malformedMediaLine(let line, _),
                 .invalidPayloadType(let line, _), .duplicatePayloadType(let line, _),
                 .malformedAttribute(let line, _, _):
                return line
            }
        }

        /// What is wrong, without the line number.
        public var reason: String {
            switch self {
            case .missingVersion:
                return "a session description must start with v=0"
            case .unsupportedVersion(_, let value):
                return "unsupported protocol version v=\(value) (only v=0 exists)"
            case .malformedLine(_, let text):
                return "not a <type>=<value> line: \"\(text)\""
            case .misplacedLine(_, let type, let reason):
                return "\(type)= line out of place: \(reason)"
            case .missingOrigin:
                return "no o= line before the media sections"
            case .malformedOrigin(_, let reason):
                return "malformed o= line: \(reason)"
            case .malformedTiming(_, let reason):
                return "malformed t= line: \(reason)"
            case .malformedConnection(_, let reason):
                return "malformed c= line: \(reason)"
            case .malformedMediaLine(_, let reason):
                return "malformed m= line: \(reason)"
            case .invalidPayloadType(_, let value):
                return "payload type \"\(value)\" is not a number from 0 to 127"
            case .duplicatePayloadType(_, let payloadType):
                return "a second a=rtpmap for payload type \(payloadType) in the same media section"
            case .malformedAttribute(_, let name, let reason):
                return "malformed a=\(name): \(reason)"
            }
        }

        public var description: String { "SDP line \(line): \(reason)" }
    }
}
