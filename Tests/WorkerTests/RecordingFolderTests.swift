import Foundation
import Jobs
import Testing

@testable import Worker

@Suite struct RecordingFolderTests {
    @Test func anEarlierAttemptsFilesGetTheirFinalNamesAndItsManifestIsKept() throws {
        let path = NSTemporaryDirectory() + "folder-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data(repeating: 1, count: 1_000).write(to: URL(fileURLWithPath: path + "/.speaker.webm.partial"))
        try Data(repeating: 2, count: 500).write(to: URL(fileURLWithPath: path + "/done.webm"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path + "/manifest.json"))
        let earlier = [
            JobOutputFixture.output("speaker.webm", bytes: 10, finished: false),
            JobOutputFixture.output("done.webm", bytes: 500, finished: true),
            JobOutputFixture.output("vanished.webm", bytes: 7, finished: false),
        ]
        let outputs = try RecordingFolder(path: path).prepare(earlierOutputs: earlier)
        #expect(outputs.map(\.path) == ["speaker.webm", "done.webm", "vanished.webm"])
        #expect(outputs.map(\.bytes) == [1_000, 500, 7])
        #expect(outputs.map(\.finished) == [true, true, false], "a file that is nowhere stays unfinished")
        #expect(FileManager.default.fileExists(atPath: path + "/speaker.webm"))
        #expect(!FileManager.default.fileExists(atPath: path + "/.speaker.webm.partial"))
        #expect(FileManager.default.fileExists(atPath: path + "/manifest.attempt-1.json"))
        #expect(!FileManager.default.fileExists(atPath: path + "/manifest.json"))

        // A third run keeps the second run's manifest beside the first's.
        try Data("{\"run\": 2}".utf8).write(to: URL(fileURLWithPath: path + "/manifest.json"))
        _ = try RecordingFolder(path: path).prepare(earlierOutputs: outputs)
        #expect(try String(contentsOfFile: path + "/manifest.attempt-2.json", encoding: .utf8) == "{\"run\": 2}")
        #expect(try String(contentsOfFile: path + "/manifest.attempt-1.json", encoding: .utf8) == "{}")
    }

    @Test func anEarlierAttemptsCaptureIsCutToItsLastWholeBlockAndNamed() throws {
        let path = NSTemporaryDirectory() + "folder-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // Two whole 16-byte blocks, then 10 bytes of a third: a run killed mid-append.
        func block(_ type: UInt8) -> [UInt8] { [type, 0, 0, 0, 16, 0, 0, 0, 9, 9, 9, 9, 16, 0, 0, 0] }
        let whole = block(0x0A) + block(6)
        try Data(whole + Array(block(6).prefix(10))).write(to: URL(fileURLWithPath: path + "/.speaker.pcapng.partial"))
        try Data(whole).write(to: URL(fileURLWithPath: path + "/.guest.pcapng.partial"))
        try Data([1]).write(to: URL(fileURLWithPath: path + "/guest.pcapng"))  // taken: left alone
        _ = try RecordingFolder(path: path).prepare(earlierOutputs: [])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/speaker.pcapng")) == Data(whole))
        #expect(!FileManager.default.fileExists(atPath: path + "/.speaker.pcapng.partial"))
        #expect(FileManager.default.fileExists(atPath: path + "/.guest.pcapng.partial"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/guest.pcapng")) == Data([1]))
    }

    @Test func filesAnEarlierAttemptMadeButGaveNoMediaAreRemoved() throws {
        let path = NSTemporaryDirectory() + "folder-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: path + "/.speaker-2.webm.opening"))
        try Data(repeating: 1, count: 100).write(to: URL(fileURLWithPath: path + "/.speaker.webm.partial"))
        // The killed run's manifest had listed the file it was opening, with nothing in it yet.
        let earlier = [JobOutputFixture.output("speaker.webm", bytes: 100, finished: false),
                       JobOutputFixture.output("speaker-2.webm", bytes: 0, finished: false)]
        let outputs = try RecordingFolder(path: path).prepare(earlierOutputs: earlier)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["speaker.webm"])
        #expect(outputs.map(\.path) == ["speaker.webm"], "a file that never held media is not an output")
    }

    @Test func anEarlierAttemptsSpeakerTimelineIsKeptBesideItsManifest() throws {
        let path = NSTemporaryDirectory() + "folder-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path + "/manifest.json"))
        try Data("WEBVTT\n\n".utf8).write(to: URL(fileURLWithPath: path + "/speakers.vtt"))
        let earlier = [JobOutput(path: "speakers.vtt", participant: nil, segment: nil, bytes: 8, finished: false, durationSeconds: nil)]
        let outputs = try RecordingFolder(path: path).prepare(earlierOutputs: earlier)
        #expect(outputs.map(\.path) == ["speakers.attempt-1.vtt"] && outputs.map(\.finished) == [true])
        #expect(try String(contentsOfFile: path + "/speakers.attempt-1.vtt", encoding: .utf8) == "WEBVTT\n\n")
        #expect(!FileManager.default.fileExists(atPath: path + "/speakers.vtt"), "the next run writes its own")
    }
}
