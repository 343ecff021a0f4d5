import Foundation
import Media
@testable import Recorder
import Testing

@Suite("File name templates")
struct FileNameTemplateTests {
    /// 2026-11-21 20:15:00.123 UTC
    static let time = Date(timeIntervalSince1970: 1_795_292_100.123)

    private func render(_ template: String, room: String = "standup", participant: String = "alice",
                        track: String? = "1", kind: MediaKind? = .video) throws -> String {
        try FileNameTemplate(template).render(
            FileNameValues(room: room, participant: participant, track: track, kind: kind, time: Self.time))
    }

    private func templateError(_ template: String) -> FileNameTemplateError? {
        do {
            _ = try FileNameTemplate(template)
            return nil
        } catch {
            return error
        }
    }

    @Test("Placeholders render; {time} is UTC in a filesystem-safe basic form; '/' in the template makes folders")
    func rendering() throws {
        #expect(try render("{participant}") == "alice")
        #expect(try render("{participant}-{kind}-{track}") == "alice-video-1")
        #expect(try render("{time}") == "20261121T201500Z")
        #expect(try render("{room}/{time}/{participant}") == "standup/20261121T201500Z/alice")
        #expect(try render("rec {room}") == "rec_standup")  // whitespace is replaced, in literals too
        #expect(try FileNameTemplate("{room}/{participant}-{kind}").placeholders == [.room, .participant, .kind])
    }

    @Test("Template errors name the placeholder or the brace")
    func errors() {
        #expect(templateError("") == .empty)
        #expect(templateError("{participnt}") == .unknownPlaceholder("participnt"))
        #expect(templateError("{Participant}") == .unknownPlaceholder("Participant"))
        #expect(templateError("{}") == .unknownPlaceholder(""))
        #expect(templateError("{participant") == .unbalancedBrace("{", offset: 0))
        #expect(templateError("a-{room}-{participant") == .unbalancedBrace("{", offset: 9))
        #expect(templateError("participant}") == .unbalancedBrace("}", offset: 11))
        #expect(templateError("{{participant}}") == .unbalancedBrace("{", offset: 0))
        #expect(templateError("/srv/{participant}") == .invalidPath("must be relative, not start with '/'"))
        #expect(templateError("../{participant}") == .invalidPath("has a '..' path component"))
        #expect(templateError("./{participant}") == .invalidPath("has a '.' path component"))
        #expect(templateError("a//{participant}") == .invalidPath("has an empty path component ('//' or a trailing '/')"))
        #expect(templateError("{participant}/") == .invalidPath("has an empty path component ('//' or a trailing '/')"))
        #expect(FileNameTemplateError.unknownPlaceholder("x").description
            == "unknown placeholder {x} in the file name template; known: {room}, {participant}, {track}, {kind}, {time}")
    }

    @Test("A value that is missing or makes an empty name is an error")
    func emptyNames() throws {
        #expect(throws: FileNameTemplateError.missingValue(.track)) { try render("{participant}-{track}", track: nil) }
        #expect(throws: FileNameTemplateError.missingValue(.kind)) { try render("{kind}", kind: nil) }
        #expect(throws: FileNameTemplateError.emptyName(.participant)) { try render("{participant}", participant: "") }
        #expect(throws: FileNameTemplateError.emptyName(.room)) { try render("{room}/{participant}", room: "") }
        #expect(try render("p-{participant}", participant: "") == "p-")
    }

    @Test("Hostile values stay inside one path component", arguments: [
        ("../../etc/passwd", "___.._etc_passwd"),
        ("/abs", "_abs"),
        ("..", "__"),
        (".hidden", "_hidden"),
        ("a\\b", "a_b"),
        ("a\u{0}b\nc\u{7F}", "a_b_c_"),
        ("\u{202E}gpj.exe", "_gpj.exe"),  // a right-to-left override cannot disguise the name
        ("zero\u{200B}width", "zero_width"),
        ("C:\\x?y*<z>|\"", "C__x_y__z___"),
        ("Zoë 太郎 🎙️", "Zoë_太郎_🎙️"),
        ("\u{301}a", "_a"),  // a leading combining mark would join the '/' before it
        ("-rf", "_rf"),  // not an option to `rm *`
    ])
    func hostileValues(value: String, expected: String) throws {
        #expect(try render("{participant}", participant: value) == expected)
    }

    @Test("Long values are cut to a bounded size, with a hash that keeps distinct values distinct")
    func longValues() throws {
        let first = try render("{participant}", participant: String(repeating: "a", count: 5_000) + "1")
        let second = try render("{participant}", participant: String(repeating: "a", count: 5_000) + "2")
        #expect(first != second)
        #expect(first.utf8.count <= PathComponentSanitizer.maximumValueBytes)
        #expect(first.hasPrefix("aaaa") && first.contains("~"))
        // Multi-byte characters are never split.
        let emoji = try render("{participant}", participant: String(repeating: "🎙️", count: 500))
        #expect(emoji.utf8.count <= PathComponentSanitizer.maximumValueBytes)
        #expect(emoji.dropLast(9).allSatisfy { $0 == "🎙️" })
        // Several long values in one component: the component is bounded too.
        let many = try render("{room}-{participant}-{track}", room: String(repeating: "r", count: 300),
                              participant: String(repeating: "p", count: 300), track: String(repeating: "t", count: 300))
        #expect(many.utf8.count <= PathComponentSanitizer.maximumComponentBytes)
    }

    @Test("Codable as its text; decoding checks it")
    func codable() throws {
        let template = try FileNameTemplate("{room}/{participant}")
        let data = try JSONEncoder().encode([template])
        #expect(String(decoding: data, as: UTF8.self) == #"["{room}\/{participant}"]"#)
        #expect(try JSONDecoder().decode([FileNameTemplate].self, from: data) == [template])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([FileNameTemplate].self, from: Data(#"["{x}"]"#.utf8)) }
    }
}
