import Foundation
import Media
import MediaTestSupport
import RTC
@testable import Recorder
import Testing

@Suite("Recording manifest")
struct ManifestTests {
    static func sample() -> RecordingManifest {
        var video = InboundStreamStats(ssrc: 0x1234_5678, mid: "1", kind: "video", codec: "VP8", payloadType: 96)
        video.packetsReceived = 14_000
        video.packetsLost = 12
        video.packetsRecovered = 230
        video.nacksSent = 41
        video.plisSent = 3
        video.freezes = 1
        video.jitterMilliseconds = 4.5
        let audio = InboundStreamStats(ssrc: 0x0BAD_CAFE, mid: "0", kind: "audio", codec: "opus", payloadType: 111)
        let start = ManifestTimestamp(millisecondsSince1970: 1_795_292_100_123)
        let later = ManifestTimestamp(millisecondsSince1970: 1_795_292_160_456)
        let file = RecordingManifest.File(
            path: "alice.webm", container: .webm, finished: true, bytes: 7_340_032,
            tracks: [
                .init(id: "0", kind: .audio, codec: .opus, firstFrameAt: start, lastFrameAt: later, durationSeconds: 60.353,
                      frames: 3_017, bytes: 480_000, streams: [audio]),
                .init(id: "1", kind: .video, codec: .vp8, firstFrameAt: start, lastFrameAt: later, durationSeconds: 60.3,
                      frames: 1_809, bytes: 6_800_000, width: 640, height: 480, streams: [video]),
            ])
        return RecordingManifest(
            recordingId: "rec-42", room: "standup", recipe: "webm", state: .finished, startedAt: start, endedAt: later,
            participants: [
                .init(id: "alice", segments: [
                    .init(number: 1, joinedAt: start, leftAt: later, files: [file]),
                    .init(number: 2, joinedAt: later, failure: "ICE failed: no valid pair within 30 s"),
                ]),
            ],
            errors: ["alice: connection 2 failed: ICE failed: no valid pair within 30 s"])
    }

    @Test("Timestamps are ISO 8601 UTC with milliseconds, exact both ways")
    func timestamps() throws {
        #expect(ManifestTimestamp(millisecondsSince1970: 1_795_292_100_123).description == "2026-11-21T20:15:00.123Z")
        #expect(ManifestTimestamp(millisecondsSince1970: 1_795_292_100_007).description == "2026-11-21T20:15:00.007Z")
        #expect(ManifestTimestamp(millisecondsSince1970: -1).description == "1969-12-31T23:59:59.999Z")
        #expect(ManifestTimestamp("2026-11-21T20:15:00.123Z")?.millisecondsSince1970 == 1_795_292_100_123)
        #expect(ManifestTimestamp("2026-11-21T20:15:00Z")?.millisecondsSince1970 == 1_795_292_100_000)
        #expect(ManifestTimestamp("yesterday") == nil)
        #expect(ManifestTimestamp(Date(timeIntervalSince1970: 1.0006)).millisecondsSince1970 == 1_001)
    }

    @Test("Round trip: what is written reads back equal; keys are camelCase")
    func roundTrip() throws {
        let manifest = Self.sample()
        let data = try ManifestWriter.encode(manifest)
        #expect(try ManifestWriter.decode(data) == manifest)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(json.keys) == ["formatVersion", "recordingId", "room", "recipe", "state", "startedAt", "endedAt",
                                   "participants", "errors"])
        #expect(json["startedAt"] as? String == "2026-11-21T20:15:00.123Z")
        #expect(json["state"] as? String == "finished")
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"joinedAt\"", "\"firstFrameAt\"", "\"durationSeconds\"", "\"packetsLost\"", "\"packetsRecovered\"",
                    "\"nacksSent\"", "\"plisSent\"", "\"freezes\"", "\"jitterMilliseconds\"", "\"path\" : \"alice.webm\""] {
            #expect(text.contains(key), "\(key) missing")
        }
        #expect(!text.contains("leftAt\" : null"), "absent values are left out")
    }

    @Test("Written manifests are valid JSON to python3 -m json.tool; the write replaces the previous one")
    func writtenFile() throws {
        let scratch = try ScratchDirectory()
        let writer = ManifestWriter(directory: scratch.path)
        var manifest = Self.sample()
        manifest.state = .recording
        try writer.write(manifest)
        manifest.state = .finished
        manifest.participants[0].segments[0].files[0].tracks[1].streams[0].jitterMilliseconds = .nan  // never fails a write
        try writer.write(manifest)
        try ExternalTool.check("python3", ["-m", "json.tool", writer.path])
        let read = try writer.read()
        #expect(read.state == .finished)
        #expect(read.participants[0].segments[0].files[0].tracks[1].streams[0].jitterMilliseconds.isNaN)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["manifest.json"])
    }

    @Test("A temporary file left by a writer killed mid-write does not matter")
    func leftoverTemporaryFile() throws {
        let scratch = try ScratchDirectory()
        let writer = ManifestWriter(directory: scratch.path)
        try writer.write(Self.sample())
        try Data("{\"recordingId\": \"rec-4".utf8).write(to: URL(fileURLWithPath: scratch.file(".manifest.json.partial")))
        #expect(try writer.read() == Self.sample())  // readers never look at it
        var next = Self.sample()
        next.errors.append("one more")
        try writer.write(next)
        #expect(try writer.read() == next)
        #expect(!FileManager.default.fileExists(atPath: scratch.file(".manifest.json.partial")))
    }

    @Test("A full disk: the error says so, and the previous manifest is untouched",
          .enabled(if: getuid() == 0, "mounts a tmpfs"))
    func fullDisk() throws {
        let scratch = try ScratchDirectory()
        let mount = scratch.file("small")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: false)
        try ExternalTool.check("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount])
        defer { _ = try? ExternalTool.run("umount", [mount]) }
        let writer = ManifestWriter(directory: mount)
        try writer.write(Self.sample())
        var huge = Self.sample()
        huge.errors = (0..<4_000).map { "problem \($0): " + String(repeating: "x", count: 40) }
        do {
            try writer.write(huge)
            Issue.record("a manifest larger than the file system was written")
        } catch {
            #expect(error.isNoSpace, "\(error)")
            #expect(error.operation == "write" || error.operation == "fsync" || error.operation == "close")
            #expect(error.description.contains("No space left on device"), "\(error)")
            #expect(error.description.hasSuffix("the previous manifest is left as it was"))
        }
        #expect(try writer.read() == Self.sample())
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount) == ["manifest.json"])
    }

    @Test("A directory it cannot write to: a clear error, the previous manifest untouched",
          .enabled(if: getuid() != 0, "root writes to read-only directories"))
    func readOnlyDirectory() throws {
        let scratch = try ScratchDirectory()
        let writer = ManifestWriter(directory: scratch.path)
        try writer.write(Self.sample())
        chmod(scratch.path, 0o555)
        defer { chmod(scratch.path, 0o755) }
        #expect(throws: ManifestWriterError.self) { try writer.write(RecordingManifest(recordingId: "other", room: "r", recipe: "webm",
                                                                                        startedAt: ManifestTimestamp(Date()))) }
        #expect(try writer.read() == Self.sample())
    }

    @Test("A manifest path taken by a directory: the rename fails, nothing is left behind")
    func renameFailure() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.file("manifest.json"), withIntermediateDirectories: false)
        let writer = ManifestWriter(directory: scratch.path)
        do {
            try writer.write(Self.sample())
            Issue.record("renamed a file over a directory")
        } catch {
            #expect(error.operation == "rename" && !error.isNoSpace)
            #expect(error.description.hasPrefix("writing \(writer.path) failed at rename: Is a directory"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file(".manifest.json.partial")))
    }

    @Test("A directory that does not exist fails at open")
    func missingDirectory() throws {
        let writer = ManifestWriter(directory: "/nonexistent-\(UUID().uuidString)")
        #expect(throws: ManifestWriterError(operation: "open", path: writer.path, reason: .system(errno: ENOENT))) {
            try writer.write(Self.sample())
        }
    }
}
