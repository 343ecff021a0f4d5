import Foundation
import Media
@testable import Recorder
import Testing

/// Hostile room names, participant ids and track ids — random bytes, traversal, absolute paths,
/// control characters, odd Unicode, very long — rendered, claimed and created for real: every
/// file must land inside the output directory.
@Suite("Output paths under hostile input")
struct OutputPathFuzzTests {
    /// SplitMix64: a seeded generator, so a failure can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fragments = [
        "..", ".", "/", "\\", "../../etc/passwd", "/abs", "/", "~", "$HOME", "\0", "\n", "\r", "\t", " ", "\u{7F}",
        "\u{202E}", "\u{200B}", "\u{FEFF}", "\u{2028}", "\u{E000}", "\u{10FFFF}", "é", "e\u{301}", "🎙️", "👩‍👩‍👧", "太郎",
        "%2e%2e%2f", "\u{301}", "\u{73C}", ":", "*", "?", "\"", "<", ">", "|", "-", "_", "a", "Z", "9", ".partial", "manifest.json",
    ]

    static func hostileValue(using generator: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0:  // random bytes, as a participant id decoded from the wire might be
            let bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return String(decoding: bytes, as: UTF8.self)
        case 1:  // random scalars from the whole Unicode range
            return String(String.UnicodeScalarView((0..<Int.random(in: 1...24, using: &generator)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &generator))
            }))
        case 2:  // very long
            return String(repeating: fragments.randomElement(using: &generator)!, count: Int.random(in: 100...3_000, using: &generator))
        default:  // pieces that mean something to a file system or a shell
            return (0..<Int.random(in: 1...12, using: &generator)).map { _ in fragments.randomElement(using: &generator)! }.joined()
        }
    }

    @Test("Every rendered path is relative, visible, bounded, and its file is created inside the directory",
          arguments: ["{participant}", "{room}/{participant}-{kind}-{track}", "{participant}{track}/{time}-{room}"])
    func hostile(template text: String) throws {
        let scratch = try ScratchDirectory()
        let template = try FileNameTemplate(text)
        let directory = try #require(realpath(scratch.path))
        var generator = SeededGenerator(state: UInt64(text.utf8.count) * 7_919)
        var names = OutputFileNames(directory: scratch.path)
        var created = 0
        for _ in 0..<250 {
            let values = FileNameValues(room: Self.hostileValue(using: &generator), participant: Self.hostileValue(using: &generator),
                                        track: Self.hostileValue(using: &generator), kind: .audio, time: Date())
            let rendered = Result { () throws(FileNameTemplateError) in try template.render(values) }
            guard case .success(let base) = rendered else {
                // Only an empty id may fail: the recorder reports it rather than invent a name.
                if case .failure(.emptyName) = rendered { continue }
                Issue.record("\(rendered)")
                continue
            }
            let relative = names.claim(base: base, fileExtension: "webm", segment: Int.random(in: 1...3, using: &generator))
            #expect(!relative.hasPrefix("/"))
            for component in relative.split(separator: "/", omittingEmptySubsequences: false) {
                #expect(!component.isEmpty && !component.hasPrefix(".") && !component.hasPrefix("-"), "\(relative.debugDescription)")
                #expect(component.utf8.count + ".partial".utf8.count + 1 <= 255, "\(relative.debugDescription)")
                #expect(!component.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" })
            }
            let path = names.path(of: relative)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)), "\(relative.debugDescription)")
            let resolved = try #require(realpath(path), "\(relative.debugDescription)")
            // Bytes, not characters: a test that compared characters is what found combining marks.
            #expect(resolved.utf8.starts(with: (directory + "/").utf8), "\(relative.debugDescription) resolved to \(resolved)")
            #expect(resolved.hasPrefix(directory + "/"), "\(relative.debugDescription) does not start a new character")
            created += 1
        }
        #expect(created > 180)
        // Nothing was written outside: the directory's parent gained nothing but the directory.
        let parent = (scratch.path as NSString).deletingLastPathComponent
        #expect(!FileManager.default.fileExists(atPath: (parent as NSString).appendingPathComponent("etc/passwd")))
    }

    private func realpath(_ path: String) -> String? {
        guard let resolved = Foundation.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
