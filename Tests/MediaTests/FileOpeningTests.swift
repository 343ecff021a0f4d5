import Foundation
import MediaTestSupport
import Testing

@testable import Media

/// A file takes its temporary name only once it holds media: a writer killed before then leaves
/// an `.opening` file, never a `.partial` one that does not play (issue 15's kill soak found an
/// empty one).
@Suite("Opening a file")
struct FileOpeningTests {
    private static let containers: [(MediaContainer, String, TrackDescription)] = [
        (.webm, "made.webm", .audio(.opus)),
        (.ogg, "made.ogg", .audio(.opus)),
        // AAC-LC, 48 kHz, stereo.
        (.mp4, "made.mp4", .audio(.aac, sampleRate: 48_000, channels: 2, extradata: [0x11, 0x90])),
    ]

    @Test("Until it holds media the file is under its opening name; then under its temporary name, and it plays")
    func temporaryNameOnceItHoldsMedia() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        for (container, name, track) in Self.containers {
            let path = scratch.file(name)
            let writer = try MediaFileWriter(path: path, container: container, tracks: [track],
                                             options: .init(flushInterval: .milliseconds(500)))
            #expect(FileManager.default.fileExists(atPath: PartialFile.openingPath(for: path)), "\(name)")
            #expect(!FileManager.default.fileExists(atPath: writer.temporaryPath), "\(name)")
            let audio = container == .mp4 ? fixtures.aac : fixtures.opus
            // A second: more than the flush interval, after which every container has written out media.
            try writer.writeInterleaved([audio.prefix(seconds: 1)])
            #expect(!FileManager.default.fileExists(atPath: PartialFile.openingPath(for: path)), "\(name)")
            #expect(try Probe.decodeErrors(writer.temporaryPath) == "", "\(name)")
            #expect(try !Probe.packetTimes(writer.temporaryPath, stream: "a").isEmpty, "\(name)")
            try writer.finish()
            #expect(try Probe.decodeErrors(path) == "", "\(name)")
        }
    }

    @Test("A writer finished before any media gives the file its final name; abandoned, it leaves nothing")
    func noMedia() throws {
        let scratch = try ScratchDirectory()
        let finished = try MediaFileWriter(path: scratch.file("empty.ogg"), container: .ogg, tracks: [.audio(.opus)])
        try finished.finish()
        let abandoned = try MediaFileWriter(path: scratch.file("gone.webm"), container: .webm, tracks: [.audio(.opus)])
        abandoned.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["empty.ogg"])
    }

    @Test("A writer that fails before its file holds media removes the file")
    func failedBeforeMedia() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("blocked.webm")
        let writer = try MediaFileWriter(path: path, container: .webm, tracks: [.audio(.opus)])
        // A directory where the temporary name goes: the rename after the first cluster fails.
        try FileManager.default.createDirectory(atPath: writer.temporaryPath + "/inside", withIntermediateDirectories: true)
        let error = #expect(throws: MediaWriterError.self) {
            try writer.writeInterleaved([fixtures.opus.prefix(seconds: 0.1)])
        }
        #expect(error?.operation == "rename" && error?.posixErrorCode == EISDIR, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: PartialFile.openingPath(for: path)))
        #expect(FileManager.default.fileExists(atPath: writer.temporaryPath + "/inside"), "what was there is left alone")
        #expect(throws: MediaWriterError.self) { try writer.finish() }
    }

    @Test("A new writer does not share its opening file with one still alive")
    func twoWritersOneName() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("twice.webm")
        let first = try MediaFileWriter(path: path, container: .webm, tracks: [.audio(.opus)])
        let second = try MediaFileWriter(path: path, container: .webm, tracks: [.audio(.opus)])
        try second.writeInterleaved([fixtures.opus.prefix(seconds: 0.5)])
        try second.finish()
        // The first's file went with its name: it fails on its own, and the second's is whole.
        #expect(throws: MediaWriterError.self) { try first.writeInterleaved([fixtures.opus.prefix(seconds: 0.5)]) }
        #expect(try Probe.decodeErrors(path) == "")
        #expect(try Probe.packetTimes(path, stream: "a").count == 25)
    }

    @Test("An opening file a killed writer left is replaced, and removed with the others of its folder")
    func abandonedOpeningFiles() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("again.webm")
        #expect(FileManager.default.createFile(atPath: PartialFile.openingPath(for: path), contents: Data([1, 2, 3])))
        let writer = try MediaFileWriter(path: path, container: .webm, tracks: [.audio(.opus)])
        try writer.writeInterleaved([fixtures.opus.prefix(seconds: 0.5)])
        try writer.finish()
        #expect(try Probe.decodeErrors(path) == "")

        // A file name template can put files in folders.
        try FileManager.default.createDirectory(atPath: scratch.file("room/deeper"), withIntermediateDirectories: true)
        for name in [".a.webm.opening", ".b.mp4.opening", "visible.opening", ".opening", ".c.webm.partial",
                     "room/.d.ogg.opening", "room/deeper/.e.webm.opening", "room/.f.webm.partial"] {
            #expect(FileManager.default.createFile(atPath: scratch.file(name), contents: Data([1])))
        }
        #expect(MediaFileWriter.removeAbandonedOpenings(in: scratch.path)
            == [".a.webm.opening", ".b.mp4.opening", "room/.d.ogg.opening", "room/deeper/.e.webm.opening"])
        let left = try FileManager.default.subpathsOfDirectory(atPath: scratch.path).sorted()
        #expect(left == [".c.webm.partial", ".opening", "again.webm", "room", "room/.f.webm.partial", "room/deeper", "visible.opening"])
    }
}
