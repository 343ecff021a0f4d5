/// The m= line: `<media> <port>[/<count>] <proto> <format> ...`.
///
/// Strict, because every later decision (which codecs, which transport, whether the section is
/// rejected) hangs off it.
enum SDPMediaLine {
    static func parse(_ value: String, line: Int) throws(SDP.ParseError) -> SDP.MediaDescription {
        let fields = SDPText.fields(value)
        guard fields.count >= 4 else {
            throw .malformedMediaLine(line: line, reason: "expected <media> <port> <proto> <format>…, found \(fields.count) fields")
        }
        let (portText, countText) = SDPText.split(fields[1], atFirst: "/")
        guard let port = SDPText.decimal(portText, as: UInt16.self) else {
            throw .malformedMediaLine(line: line, reason: "port \"\(SDPText.excerpt(portText))\" is not a number from 0 to 65535")
        }
        var portCount: UInt16?
        if let countText {
            guard let count = SDPText.decimal(countText, as: UInt16.self) else {
                throw .malformedMediaLine(line: line, reason: "port count \"\(SDPText.excerpt(countText))\" is not a number")
            }
            portCount = count
        }
        var section = SDP.MediaDescription(kind: SDP.MediaKind(fields[0]), port: port, proto: fields[2], formats: Array(fields[3...]))
        section.portCount = portCount
        if section.carriesRTP {
            var payloadTypes: [UInt8] = []
            for format in section.formats { payloadTypes.append(try SDPPayloadType.parse(format, line: line)) }
            section.payloadTypes = payloadTypes
        }
        return section
    }
}
