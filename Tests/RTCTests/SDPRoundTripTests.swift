import Foundation
import RTC
import Testing

@Suite("SDP serialization round trips")
struct SDPRoundTripTests {
    @Test("parse(serialize(x)) == x", arguments: SDPFixture.all)
    func roundTrip(name: String) throws {
        let parsed = try SDPFixture.parsed(name)
        let written = parsed.serialized()
        #expect(try SDP.SessionDescription(parsing: written) == parsed)
        #expect(reserialized(written) == written, "writing what was written changes nothing")
    }

    @Test("CRLF line endings only", arguments: SDPFixture.all)
    func crlfOnly(name: String) throws {
        let written = try SDPFixture.parsed(name).serialized()
        #expect(written.hasPrefix("v=0\r\n"))
        #expect(written.hasSuffix("\r\n"))
        let bytes = Array(written.utf8)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            #expect(index > 0 && bytes[index - 1] == UInt8(ascii: "\r"))
        }
    }

    /// Nothing is lost: the written text has the same lines as the original, only reordered.
    /// `a=msid-semantic` and `a=candidate` are written in a fixed style (Chromium's), a candidate
    /// without the extensions nothing reads (`generation`, `network-id`…): those lines are
    /// compared as what they read as.
    @Test("no line is lost or altered", arguments: SDPFixture.all)
    func sameLines(name: String) throws {
        let original = try SDPFixture.text(name)
        let written = try SDP.SessionDescription(parsing: original).serialized()
        #expect(normalizedLines(written) == normalizedLines(original))
    }

    private func reserialized(_ text: String) -> String? {
        try? SDP.SessionDescription(parsing: text).serialized()
    }

    private func normalizedLines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n")
            .map { line in
                if line.hasPrefix("a=msid-semantic:") {
                    return "a=msid-semantic:" + line.dropFirst("a=msid-semantic:".count).split(separator: " ").joined(separator: " ")
                }
                if line.hasPrefix("a=candidate:"), let candidate = try? Candidate(sdpValue: line) {
                    return "a=" + candidate.sdpValue
                }
                return String(line)
            }
            .sorted()
    }
}
