import Foundation
import RTC
import Testing

@Suite("SDP parse errors")
struct SDPParseErrorTests {
    private static let head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
    private static let audio = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"

    private func parseError(_ text: String) -> SDP.ParseError? {
        do {
            _ = try SDP.SessionDescription(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func missingVersion() {
        #expect(parseError("") == .missingVersion(line: 1))
        #expect(parseError("\r\n\r\n") == .missingVersion(line: 3))
        #expect(parseError("o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n") == .missingVersion(line: 1))
        #expect(parseError("\r\ns=-\r\n") == .missingVersion(line: 2))
    }

    @Test func unsupportedVersion() {
        #expect(parseError("v=1\r\n") == .unsupportedVersion(line: 1, value: "1"))
    }

    @Test func malformedLines() {
        #expect(parseError(Self.head + "hello\r\n") == .malformedLine(line: 5, text: "hello"))
        #expect(parseError(Self.head + "=x\r\n") == .malformedLine(line: 5, text: "=x"))
        #expect(parseError(Self.head + "ab=x\r\n") == .malformedLine(line: 5, text: "ab=x"))
    }

    @Test func originProblems() {
        #expect(parseError("v=0\r\ns=-\r\nt=0 0\r\n") == .missingOrigin(line: 4))
        #expect(parseError("v=0\r\ns=-\r\n" + Self.audio) == .missingOrigin(line: 3))
        #expect(parseError("v=0\r\no=- 1 1 IN IP4\r\n")?.line == 2)
        if case .malformedOrigin(2, _) = parseError("v=0\r\no=- x 1 IN IP4 0.0.0.0\r\n") {} else { Issue.record("expected malformedOrigin") }
        if case .misplacedLine(3, "o", _) = parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\no=- 1 1 IN IP4 0.0.0.0\r\n") {} else {
            Issue.record("expected misplacedLine")
        }
    }

    @Test func mediaLineShape() {
        let tooShort = parseError(Self.head + "m=audio 9 UDP/TLS/RTP/SAVPF\r\n")
        if case .malformedMediaLine(5, _) = tooShort {} else { Issue.record("expected malformedMediaLine, got \(String(describing: tooShort))") }
        if case .malformedMediaLine(5, _) = parseError(Self.head + "m=audio 70000 UDP/TLS/RTP/SAVPF 111\r\n") {} else {
            Issue.record("expected bad port")
        }
        if case .malformedMediaLine(5, _) = parseError(Self.head + "m=audio 9/x UDP/TLS/RTP/SAVPF 111\r\n") {} else {
            Issue.record("expected bad port count")
        }
        #expect(parseError(Self.head + "m=audio 9 UDP/TLS/RTP/SAVPF 111 opus\r\n") == .invalidPayloadType(line: 5, value: "opus"))
        #expect(parseError(Self.head + "m=audio 9 UDP/TLS/RTP/SAVPF 128\r\n") == .invalidPayloadType(line: 5, value: "128"))
        // Non-RTP formats are not payload types.
        #expect(parseError(Self.head + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n") == nil)
    }

    @Test func codecAttributes() {
        let base = Self.head + Self.audio
        if case .malformedAttribute(6, "rtpmap", _) = parseError(base + "a=rtpmap:111 opus\r\n") {} else { Issue.record("rtpmap without clock rate") }
        if case .malformedAttribute(6, "rtpmap", _) = parseError(base + "a=rtpmap:111 opus/fast/2\r\n") {} else { Issue.record("rtpmap clock rate") }
        if case .malformedAttribute(6, "rtpmap", _) = parseError(base + "a=rtpmap:111 opus/48000/two\r\n") {} else { Issue.record("rtpmap channels") }
        if case .malformedAttribute(6, "rtpmap", _) = parseError(base + "a=rtpmap\r\n") {} else { Issue.record("rtpmap without value") }
        #expect(parseError(base + "a=rtpmap:abc opus/48000/2\r\n") == .invalidPayloadType(line: 6, value: "abc"))
        #expect(parseError(base + "a=rtpmap:111 opus/48000/2\r\na=rtpmap:111 VP8/90000\r\n") == .duplicatePayloadType(line: 7, payloadType: 111))
        #expect(parseError(base + "a=fmtp:x minptime=10\r\n") == .invalidPayloadType(line: 6, value: "x"))
        #expect(parseError(base + "a=rtcp-fb:+1 nack\r\n") == .invalidPayloadType(line: 6, value: "+1"))
        if case .malformedAttribute(6, "rtcp-fb", _) = parseError(base + "a=rtcp-fb:111\r\n") {} else { Issue.record("rtcp-fb without type") }
        if case .malformedAttribute(7, "extmap", _) = parseError(base + "a=extmap:1 urn:a\r\na=extmap:1 urn:b\r\n") {} else { Issue.record("extmap id reused") }
        if case .malformedAttribute(6, "extmap", _) = parseError(base + "a=extmap:1/sideways urn:a\r\n") {} else { Issue.record("extmap direction") }
    }

    @Test func transportAttributes() {
        let base = Self.head + Self.audio
        if case .malformedAttribute(6, "setup", _) = parseError(base + "a=setup:client\r\n") {} else { Issue.record("setup") }
        if case .malformedAttribute(6, "fingerprint", _) = parseError(base + "a=fingerprint:sha-256\r\n") {} else { Issue.record("fingerprint") }
        if case .malformedAttribute(6, "fingerprint", _) = parseError(base + "a=fingerprint:sha-256 AB CD\r\n") {} else { Issue.record("fingerprint fields") }
        if case .malformedAttribute(5, "fingerprint", _) = parseError(Self.head + "a=fingerprint\r\n") {} else { Issue.record("session fingerprint") }
        if case .malformedAttribute(6, "ssrc", _) = parseError(base + "a=ssrc:4294967296 cname:x\r\n") {} else { Issue.record("ssrc range") }
        if case .malformedAttribute(6, "ssrc-group", _) = parseError(base + "a=ssrc-group:FID 1 two\r\n") {} else { Issue.record("ssrc-group") }
        if case .malformedAttribute(6, "sctp-port", _) = parseError(base + "a=sctp-port:http\r\n") {} else { Issue.record("sctp-port") }
        if case .malformedAttribute(5, "group", _) = parseError(Self.head + "a=group\r\n") {} else { Issue.record("group") }
    }

    @Test func sessionLinesInsideMedia() {
        if case .misplacedLine(6, "t", _) = parseError(Self.head + Self.audio + "t=0 0\r\n") {} else { Issue.record("t= in media") }
        if case .misplacedLine(6, "v", _) = parseError(Self.head + Self.audio + "v=0\r\n") {} else { Issue.record("v= in media") }
    }

    @Test("messages name the line", arguments: [
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/SAVPF\r\n",
        "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=video 9 RTP/SAVPF 96\na=rtpmap:96 VP8\n",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\na=fmtp:ninety-six x=1\r\n",
    ])
    func descriptionNamesLine(text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.description.hasPrefix("SDP line \(error.line): "))
        #expect(error.line >= 5)
        #expect(!error.reason.isEmpty)
    }

    @Test func errorFromChromiumFixtureLine() throws {
        // Break the rtpmap of VP8 in the real Chromium offer: the error points at that line.
        let text = try SDPFixture.text("chromium-offer-av")
        let lines = text.components(separatedBy: "\r\n")
        let index = try #require(lines.firstIndex(of: "a=rtpmap:96 VP8/90000"))
        var broken = lines
        broken[index] = "a=rtpmap:96 VP8"
        let error = try #require(parseError(broken.joined(separator: "\r\n")))
        #expect(error.line == index + 1)
        #expect(error.description.contains("line \(index + 1)"))
        #expect(error.description.contains("rtpmap"))
    }
}
