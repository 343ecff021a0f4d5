/// Collects one media section's lines.
struct SDPMediaSectionParser {
    var section: SDP.MediaDescription
    private var mappedPayloadTypes = Set<UInt8>()
    private var extensionIDs = Set<UInt16>()

    init(section: SDP.MediaDescription) {
        self.section = section
    }

    mutating func consume(type: Character, value: String, line: Int) throws(SDP.ParseError) {
        switch type {
        case "a":
            let (name, attributeValue) = SDPText.split(value, atFirst: ":")
            try consumeAttribute(name: name, value: attributeValue, line: line)
        case "c" where section.connection == nil:
            section.connection = try SDP.Connection.parse(value, line: line)
        case "i", "c", "b", "k":
            section.otherLines.append(SDP.Line(type: type, value: value))
        case "v", "o", "s", "t":
            throw .misplacedLine(line: line, type: type, reason: "session-level line inside a media section")
        default:
            break  // RFC 8866 §5: unknown types are ignored.
        }
    }

    // One switch over every attribute WebRTC negotiates; splitting it would only scatter the
    // "first one wins, repeats are kept verbatim" rule.
    private mutating func consumeAttribute(name: String, value: String?, line: Int) throws(SDP.ParseError) {
        switch name {
        case "rtpmap":
            let rtpMap = try SDP.RTPMap.parse(value ?? "", line: line)
            guard mappedPayloadTypes.insert(rtpMap.payloadType).inserted else {
                throw .duplicatePayloadType(line: line, payloadType: rtpMap.payloadType)
            }
            section.rtpMaps.append(rtpMap)
            return
        case "fmtp":
            section.formatParameters.append(try .parse(value ?? "", line: line))
            return
        case "rtcp-fb":
            section.feedback.append(try .parse(value ?? "", line: line))
            return
        case "extmap":
            let extensionMap = try SDP.ExtensionMap.parse(value ?? "", line: line)
            guard extensionIDs.insert(extensionMap.id).inserted else {
                throw .malformedAttribute(line: line, name: name, reason: "id \(extensionMap.id) is already mapped in this media section")
            }
            section.extensionMaps.append(extensionMap)
            return
        case "ssrc":
            section.ssrcs.append(try .parse(value ?? "", line: line))
            return
        case "ssrc-group":
            section.ssrcGroups.append(try .parse(value ?? "", line: line))
            return
        case "msid":
            section.msids.append(try .parse(value ?? "", line: line))
            return
        case "fingerprint":
            // One we cannot use falls through to `otherAttributes`, where it still counts as the
            // section's own (see `SessionDescription.fingerprints(for:)`).
            if let fingerprint = try SDPFingerprintAttribute.parse(value ?? "", line: line) {
                section.fingerprints.append(fingerprint)
                return
            }
        case "setup" where section.setup == nil:
            section.setup = try .parse(value ?? "", line: line)
            return
        case "sctp-port" where section.sctpPort == nil:
            guard let port = SDPText.decimal(value ?? "", as: UInt16.self) else {
                throw .malformedAttribute(line: line, name: name, reason: "\"\(SDPText.excerpt(value ?? ""))\" is not a port number")
            }
            section.sctpPort = port
            return
        case "max-message-size" where section.maxMessageSize == nil:
            guard let size = SDPText.decimal(value ?? "", as: UInt64.self) else {
                throw .malformedAttribute(line: line, name: name, reason: "\"\(SDPText.excerpt(value ?? ""))\" is not a size in bytes")
            }
            section.maxMessageSize = size
            return
        case "candidate":
            // One bad candidate line costs that candidate, not the call: one we cannot read, or on
            // a transport we do not speak, is kept verbatim with the other attributes and unused.
            if let value, let candidate = try? Candidate(sdpValue: value) {
                section.candidates.append(candidate)
                return
            }
        case "mid" where section.mid == nil:
            if let value { section.mid = value; return }
        case "ice-ufrag" where section.iceUfrag == nil:
            if let value { section.iceUfrag = value; return }
        case "ice-pwd" where section.icePwd == nil:
            if let value { section.icePwd = value; return }
        case "ice-options":
            if let value { section.iceOptions += SDPText.fields(value); return }
        case "rtcp-mux" where value == nil && !section.rtcpMux:
            section.rtcpMux = true
            return
        case "rtcp-rsize" where value == nil && !section.rtcpReducedSize:
            section.rtcpReducedSize = true
            return
        case "bundle-only" where value == nil && !section.bundleOnly:
            section.bundleOnly = true
            return
        case "end-of-candidates" where value == nil && !section.endOfCandidates:
            section.endOfCandidates = true
            return
        default:
            if value == nil, section.direction == nil, let direction = SDP.Direction(rawValue: name) {
                section.direction = direction
                return
            }
        }
        section.otherAttributes.append(SDP.Attribute(name: name, value: value))
    }

    func finish() -> SDP.MediaDescription {
        var section = section
        section.otherLines = SDPLineOrder.mediaOrdered(section.otherLines)
        SDPLineOrder.groupCodecAttributes(&section)
        return section
    }
}
