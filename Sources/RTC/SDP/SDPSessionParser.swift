/// The session part of a description being parsed, and the media section currently open.
///
/// Lines arrive in order: before `v=`, session-level lines, then media sections, each starting
/// at an `m=` line. Repeats of single-valued attributes keep the first value and go to
/// `otherAttributes` verbatim, so nothing is lost and the written form re-parses the same.
struct SDPSessionParser {
    private var sawVersion = false
    private var origin: SDP.Origin?
    private var sawSessionName = false
    private var sawTiming = false
    private var description = SDP.SessionDescription(origin: SDP.Origin(sessionID: 0, sessionVersion: 0))
    private var currentMedia: SDPMediaSectionParser?

    mutating func consume(type: Character, value: String, line: Int) throws(SDP.ParseError) {
        guard sawVersion else {
            guard type == "v" else { throw .missingVersion(line: line) }
            guard SDPText.fields(value) == ["0"] else {
                throw .unsupportedVersion(line: line, value: SDPText.excerpt(value))
            }
            sawVersion = true
            return
        }
        if type == "m" {
            guard origin != nil else { throw .missingOrigin(line: line) }
            finishMedia()
            currentMedia = SDPMediaSectionParser(section: try SDPMediaLine.parse(value, line: line))
            return
        }
        if currentMedia != nil {
            try currentMedia?.consume(type: type, value: value, line: line)
        } else {
            try consumeSessionLine(type: type, value: value, line: line)
        }
    }

    private mutating func consumeSessionLine(type: Character, value: String, line: Int) throws(SDP.ParseError) {
        switch type {
        case "v":
            throw .misplacedLine(line: line, type: type, reason: "v= may only be the first line")
        case "o":
            guard origin == nil else { throw .misplacedLine(line: line, type: type, reason: "a session has one o= line") }
            origin = try SDP.Origin.parse(value, line: line)
        case "s":
            guard !sawSessionName else { throw .misplacedLine(line: line, type: type, reason: "a session has one s= line") }
            sawSessionName = true
            description.sessionName = value
        case "t" where !sawTiming:
            sawTiming = true
            description.timing = try SDP.Timing.parse(value, line: line)
        case "a":
            let (name, attributeValue) = SDPText.split(value, atFirst: ":")
            try consumeSessionAttribute(name: name, value: attributeValue, line: line)
        case "i", "u", "e", "p", "c", "b", "t", "r", "z", "k":
            description.otherLines.append(SDP.Line(type: type, value: value))
        default:
            break  // RFC 8866 §5: unknown types are ignored.
        }
    }

    private mutating func consumeSessionAttribute(name: String, value: String?, line: Int) throws(SDP.ParseError) {
        switch name {
        case "group":
            description.groups.append(try .parse(value ?? "", line: line))
            return
        case "fingerprint":
            // One we cannot use falls through to `otherAttributes`, kept verbatim.
            if let fingerprint = try SDPFingerprintAttribute.parse(value ?? "", line: line) {
                description.fingerprints.append(fingerprint)
                return
            }
        case "msid-semantic" where description.msidSemantic == nil:
            description.msidSemantic = try .parse(value ?? "", line: line)
            return
        case "setup" where description.setup == nil:
            description.setup = try .parse(value ?? "", line: line)
            return
        case "ice-options":
            if let value { description.iceOptions += SDPText.fields(value); return }
        case "ice-ufrag" where description.iceUfrag == nil:
            if let value { description.iceUfrag = value; return }
        case "ice-pwd" where description.icePwd == nil:
            if let value { description.icePwd = value; return }
        case "ice-lite" where !description.iceLite && value == nil:
            description.iceLite = true
            return
        case "extmap-allow-mixed" where !description.extmapAllowMixed && value == nil:
            description.extmapAllowMixed = true
            return
        default:
            if value == nil, description.direction == nil, let direction = SDP.Direction(rawValue: name) {
                description.direction = direction
                return
            }
        }
        description.otherAttributes.append(SDP.Attribute(name: name, value: value))
    }

    private mutating func finishMedia() {
        if let media = currentMedia?.finish() { description.media.append(media) }
        currentMedia = nil
    }

    mutating func finish(lastLine: Int) throws(SDP.ParseError) -> SDP.SessionDescription {
        guard sawVersion else { throw .missingVersion(line: lastLine) }
        guard let origin else { throw .missingOrigin(line: lastLine) }
        finishMedia()
        description.origin = origin
        description.otherLines = SDPLineOrder.sessionOrdered(description.otherLines)
        return description
    }
}
