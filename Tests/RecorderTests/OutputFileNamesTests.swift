import Foundation
@testable import Recorder
import Testing

@Suite("Output file names")
struct OutputFileNamesTests {
    @Test("A reconnecting participant's segments: alice.webm, alice-2.webm, alice-3.webm")
    func segments() throws {
        let scratch = try ScratchDirectory()
        var names = OutputFileNames(directory: scratch.path)
        #expect(names.claim(base: "alice", fileExtension: "webm", segment: 1) == "alice.webm")
        #expect(names.claim(base: "alice", fileExtension: "webm", segment: 2) == "alice-2.webm")
        #expect(names.claim(base: "alice", fileExtension: "webm", segment: 3) == "alice-3.webm")
        #expect(names.claim(base: "alice", fileExtension: "ogg", segment: 1) == "alice.ogg")
        #expect(names.path(of: "alice-2.webm") == scratch.path + "/alice-2.webm")
    }

    @Test("A name is never given twice: not within a recording, not over a file on disk or one being written")
    func neverReused() throws {
        let scratch = try ScratchDirectory()
        var names = OutputFileNames(directory: scratch.path)
        // A participant literally called alice-2, then alice's second segment.
        #expect(names.claim(base: "alice-2", fileExtension: "webm") == "alice-2.webm")
        #expect(names.claim(base: "alice", fileExtension: "webm", segment: 2) == "alice-3.webm")
        // The same segment claimed twice (two participants sanitized to one name).
        #expect(names.claim(base: "a_b", fileExtension: "webm") == "a_b.webm")
        #expect(names.claim(base: "a_b", fileExtension: "webm") == "a_b-2.webm")

        _ = FileManager.default.createFile(atPath: scratch.file("bob.webm"), contents: Data())
        _ = FileManager.default.createFile(atPath: scratch.file(".carol.webm.partial"), contents: Data())
        try FileManager.default.createSymbolicLink(atPath: scratch.file("dave.webm"), withDestinationPath: "/nonexistent")
        try FileManager.default.createDirectory(atPath: scratch.file("room"), withIntermediateDirectories: false)
        _ = FileManager.default.createFile(atPath: scratch.file("room/.erin.mp4.partial"), contents: Data())
        _ = FileManager.default.createFile(atPath: scratch.file(".frank.ogg.opening"), contents: Data())

        var fresh = OutputFileNames(directory: scratch.path)
        #expect(fresh.claim(base: "bob", fileExtension: "webm") == "bob-2.webm")
        #expect(fresh.claim(base: "carol", fileExtension: "webm") == "carol-2.webm")
        #expect(fresh.claim(base: "dave", fileExtension: "webm") == "dave-2.webm")
        #expect(fresh.claim(base: "room/erin", fileExtension: "mp4") == "room/erin-2.mp4")
        #expect(fresh.claim(base: "room/erin", fileExtension: "webm") == "room/erin.webm")
        #expect(fresh.claim(base: "frank", fileExtension: "ogg") == "frank-2.ogg")
    }
}
