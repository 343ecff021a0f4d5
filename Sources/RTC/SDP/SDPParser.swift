/// Turns SDP text into an `SDP.SessionDescription`, one line at a time.
///
/// Lines are split on LF at the byte level (a CRLF pair is a single `Character` in Swift, so
/// splitting on characters would not find the LF), and one trailing CR is dropped. Blank lines are
/// skipped; line numbers count every line, so errors point at the editor's line.
enum SDPParser {
    static func parse(_ text: String) throws(SDP.ParseError) -> SDP.SessionDescription {
        var session = SDPSessionParser()
        let lines = SDPText.lines(of: text)
        for (index, line) in lines.enumerated() {
            try consumeLine(line, number: index + 1, into: &session)
        }
        return try session.finish(lastLine: lines.count)
    }

    private static func consumeLine(_ line: String, number: Int, into session: inout SDPSessionParser) throws(SDP.ParseError) {
        let bytes = line.utf8
        if bytes.allSatisfy(SDPText.isFieldSeparator) { return }
        guard bytes.count >= 2, let type = bytes.first, isTypeLetter(type),
              bytes[bytes.index(after: bytes.startIndex)] == UInt8(ascii: "=")
        else {
            throw .malformedLine(line: number, text: SDPText.excerpt(line))
        }
        let value = String(Substring(bytes.dropFirst(2)))
        try session.consume(type: Character(Unicode.Scalar(type)), value: value, line: number)
    }

    private static func isTypeLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
