import RTC
import Testing

/// The core's seeded generator: every run mutates the same way and a failure replays from its seed.
typealias SDPFuzzGenerator = SeededRandom

/// Byte-level mutations of SDP text that stay close enough to SDP to reach deep into the parser.
struct SDPMutator {
    /// Bytes and fragments that mean something to an SDP parser, plus some that should not.
    private static let fragments: [[UInt8]] = [
        " ", "  ", ":", "/", "=", ";", "*", "-", "0", "9", "127", "128", "65536", "4294967296",
        "99999999999999999999", "\r", "\n", "\r\n", "\t", "a=", "m=", "c=", "t=", "o=", "v=0",
        "a=rtpmap:", "a=fmtp:", "a=rtcp-fb:", "a=extmap:", "a=ssrc:", "a=ssrc-group:FID ", "a=candidate:",
        "a=setup:", "a=mid:", "a=group:BUNDLE ", "typ", "rtx/90000", "apt=", "m=video 0 UDP/TLS/RTP/SAVPF 96",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "é", "\u{301}", "\u{1F600}", "\0",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0x80]]

    var random: SDPFuzzGenerator

    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            switch Int.random(in: 0..<8, using: &random) {
            case 0: deleteRange(&bytes)
            case 1: insertFragment(&bytes)
            case 2: replaceByte(&bytes)
            case 3: truncateLine(&bytes)
            case 4: deleteLine(&bytes)
            case 5: duplicateLine(&bytes)
            case 6: swapLines(&bytes)
            default: truncateText(&bytes)
            }
        }
        return bytes
    }

    private mutating func position(in bytes: [UInt8]) -> Int { Int.random(in: 0...bytes.count, using: &random) }

    private mutating func deleteRange(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let start = Int.random(in: 0..<bytes.count, using: &random)
        bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...8, using: &random)))
    }

    private mutating func insertFragment(_ bytes: inout [UInt8]) {
        bytes.insert(contentsOf: Self.fragments.randomElement(using: &random) ?? [], at: position(in: bytes))
    }

    private mutating func replaceByte(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let index = Int.random(in: 0..<bytes.count, using: &random)
        bytes[index] = Bool.random(using: &random) ? UInt8.random(in: 0x20...0x7E, using: &random) : UInt8.random(in: 0...255, using: &random)
    }

    private mutating func truncateText(_ bytes: inout [UInt8]) {
        bytes.removeSubrange(position(in: bytes)...)
    }

    /// The line (with its line break) around a random byte: O(line) rather than O(text), which
    /// keeps 20k mutations quick in debug builds.
    private mutating func randomLine(_ bytes: [UInt8]) -> Range<Int>? {
        guard !bytes.isEmpty else { return nil }
        let newline = UInt8(ascii: "\n")
        var start = Int.random(in: 0..<bytes.count, using: &random)
        var end = start
        while start > 0, bytes[start - 1] != newline { start -= 1 }
        while end < bytes.count, bytes[end] != newline { end += 1 }
        return start..<min(end + 1, bytes.count)
    }

    /// Cuts a line short, keeping its line break.
    private mutating func truncateLine(_ bytes: inout [UInt8]) {
        guard let line = randomLine(bytes), line.count > 2 else { return }
        let cut = Int.random(in: line.lowerBound..<line.upperBound - 1, using: &random)
        bytes.removeSubrange(cut..<line.upperBound - 1)
    }

    private mutating func deleteLine(_ bytes: inout [UInt8]) {
        guard let line = randomLine(bytes) else { return }
        bytes.removeSubrange(line)
    }

    private mutating func duplicateLine(_ bytes: inout [UInt8]) {
        guard let line = randomLine(bytes), let target = randomLine(bytes) else { return }
        bytes.insert(contentsOf: Array(bytes[line]), at: target.lowerBound)
    }

    private mutating func swapLines(_ bytes: inout [UInt8]) {
        guard let first = randomLine(bytes), let second = randomLine(bytes), first != second else { return }
        let (earlier, later) = first.lowerBound < second.lowerBound ? (first, second) : (second, first)
        let laterBytes = Array(bytes[later]), earlierBytes = Array(bytes[earlier])
        bytes.replaceSubrange(later, with: earlierBytes)
        bytes.replaceSubrange(earlier, with: laterBytes)
    }
}

@Suite("SDP fuzzing")
struct SDPFuzzTests {
    static let mutationsPerFixture = 250  // × 9 fixtures = 2,250

    /// Every mutation either parses — and then writes back to text that parses to the same value,
    /// and can be answered without crashing — or throws a `SDP.ParseError` naming a real line.
    /// (Every fourth answer is also checked to round-trip; all of them would double the run time
    /// of a debug build for little extra coverage.)
    @Test("mutated fixtures parse or fail cleanly", arguments: SDPFixture.all.enumerated().map { $0 })
    func mutations(index: Int, name: String) throws {
        let original = Array(try SDPFixture.text(name).utf8)
        var mutator = SDPMutator(random: SDPFuzzGenerator(seed: 0x5D9_0000 + UInt64(index)))
        let answerer = SDP.AnswerBuilder(codecs: SDP.CodecPreferences(h264: true, vp9: true))
        var parsed = 0, failed = 0, problems: [String] = []

        for iteration in 0..<Self.mutationsPerFixture {
            let mutated = mutator.mutate(original)
            // Decoding replaces invalid UTF-8 but never touches a line break, so lines count the same.
            var lineCount = 1
            for byte in mutated where byte == UInt8(ascii: "\n") { lineCount += 1 }
            let text = String(decoding: mutated, as: UTF8.self)
            do throws(SDP.ParseError) {
                let description = try SDP.SessionDescription(parsing: text)
                parsed += 1
                let written = description.serialized()
                let reparsed = try? SDP.SessionDescription(parsing: written)
                if reparsed != description {
                    problems.append("#\(iteration): round trip changed the description:\n\(text)")
                }
                if let answer = try? answerer.answer(to: description, transport: SDPFixture.localTransport, sessionID: 1),
                   iteration % 4 == 0 {
                    let answerText = answer.sessionDescription.serialized()
                    if (try? SDP.SessionDescription(parsing: answerText)) != answer.sessionDescription {
                        problems.append("#\(iteration): answer does not round trip:\n\(answerText)")
                    }
                }
            } catch {
                failed += 1
                if !(1...lineCount).contains(error.line) || !error.description.hasPrefix("SDP line \(error.line): ") {
                    problems.append("#\(iteration): error \(error) names line \(error.line) of \(lineCount)")
                }
            }
            if problems.count >= 3 { break }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n---\n"))")
        #expect(parsed + failed == Self.mutationsPerFixture)
        // Both outcomes must be exercised, or the mutations are too gentle or too harsh.
        #expect(parsed > Self.mutationsPerFixture / 10)
        #expect(failed > Self.mutationsPerFixture / 10)
    }
}
