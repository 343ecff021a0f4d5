import Foundation
import Media
import MediaTestSupport
import Testing

/// What a recorder that dies, or whose disk fills, leaves behind.
@Suite("Files survive their writer")
struct CrashSafetyTests {
    /// The container, its video (with SPS/PPS for H.264) and audio, for the two-track cases.
    private func tracks(for container: MediaContainer, _ fixtures: MediaFixtures) -> ([TrackDescription], [EncodedStream]) {
        switch container {
        case .mp4:
            let parameterSets = H264AnnexB.parameterSets(in: fixtures.h264.frames[0].data)
            return ([.video(.h264, width: fixtures.h264.width, height: fixtures.h264.height, extradata: parameterSets),
                     .audio(.aac, sampleRate: fixtures.aac.sampleRate, channels: fixtures.aac.channels,
                            extradata: fixtures.aac.extradata)],
                    [fixtures.h264, fixtures.aac])
        default:
            return ([.video(.vp8, width: fixtures.vp8.width, height: fixtures.vp8.height), .audio(.opus)],
                    [fixtures.vp8, fixtures.opus])
        }
    }

    @Test("Killed with SIGKILL while writing: the partial WebM and MP4 play to within a second or two of the end")
    func killedWriter() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let probe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("media-crash-probe")
        let process = Process()
        process.executableURL = probe
        // Twice real time: the writer's buffering is bounded in media time, not wall time.
        process.arguments = [scratch.path, fixtures.vp8Path, fixtures.opusPath, fixtures.h264Path, fixtures.aacPath, "2"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()

        var reached = 0.0
        var text = ""
        while reached < 6 {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }  // the probe exited: it failed
            text += String(decoding: chunk, as: UTF8.self)
            reached = text.split(separator: "\n").compactMap { Double($0.split(separator: " ").last ?? "") }.max() ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try #require(reached >= 6, "the probe stopped early: \(text)")
        #expect(process.terminationReason == .uncaughtSignal)

        for name in ["crash.webm", "crash.mp4"] {
            let path = scratch.file(name)
            let partial = MediaFileWriter.temporaryPath(for: path)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try Probe.decodeErrors(partial) == "", "\(name)")
            for stream in ["v", "a"] {
                let last = try #require(try Probe.packetTimes(partial, stream: stream).last)
                #expect(last >= 4, "\(name) \(stream): last packet at \(last) of \(reached) s written")
            }
            #expect(try Probe.decodedFrames(partial, stream: "v") >= 4 * 30)
        }
    }

    @Test("Left in its first second, an unfinished WebM already holds frames and decodes")
    func firstSecond() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let (descriptions, streams) = tracks(for: .webm, fixtures)
        let writer = try MediaFileWriter(path: scratch.file("first.webm"), container: .webm, tracks: descriptions)
        // A third of a second: far less than the flush interval after which a cluster closes.
        try writer.writeInterleaved([streams[0].prefix(seconds: 0.3), streams[1].prefix(seconds: 0.3)])
        // Unfinished, as a writer killed now would leave it.
        #expect(try Probe.decodeErrors(writer.temporaryPath) == "")
        #expect(try !Probe.packetTimes(writer.temporaryPath, stream: "v").isEmpty)
        try writer.finish()
        #expect(try Probe.decodedFrames(scratch.file("first.webm"), stream: "v") >= 8)
    }

    @Test("A quiet track does not hold the others in memory", arguments: [MediaContainer.webm, .mp4])
    func quietTrack(container: MediaContainer) throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let (descriptions, streams) = tracks(for: container, fixtures)
        let writer = try MediaFileWriter(path: scratch.file("quiet." + container.fileExtension), container: container,
                                         tracks: descriptions)
        // The camera goes off after 1 s; the microphone carries on to 8 s.
        try writer.writeInterleaved([streams[0].prefix(seconds: 1), streams[1].prefix(seconds: 8)])
        // Unfinished, as a killed writer would leave it: audio must be on disk to within two
        // flush intervals of 8 s — one until the writer notices the quiet track and pushes the
        // interleaver's queue out, one for the open cluster or fragment. (libavformat alone
        // waits for the next VP8/VP9 frame without limit, so WebM would stop at 1 s.)
        let audio = try Probe.packetTimes(writer.temporaryPath, stream: "a")
        #expect((audio.last ?? 0) >= 5.9, "audio on disk ends at \(audio.last ?? 0)")
        #expect(try Probe.decodeErrors(writer.temporaryPath) == "")
        try writer.finish()
    }

    @Test("A full disk: ENOSPC named, and what was written still plays", .enabled(if: getuid() == 0, "mounts a tmpfs"),
          arguments: [MediaContainer.webm, .mp4])
    func fullDisk(container: MediaContainer) throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let mount = scratch.file("small")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: false)
        try ExternalTool.check("mount", ["-t", "tmpfs", "-o", "size=200k", "tmpfs", mount])
        defer { _ = try? ExternalTool.run("umount", [mount]) }

        let (descriptions, streams) = tracks(for: container, fixtures)
        let path = mount + "/full." + container.fileExtension
        let writer = try MediaFileWriter(path: path, container: container, tracks: descriptions)
        let error = #expect(throws: MediaWriterError.self) {
            try writer.writeInterleaved(streams)  // 10 s at ~450 kbit/s: more than 200 kB
        }
        #expect(error?.isNoSpace == true)
        #expect(error?.description.contains("No space left on device") == true, "\(String(describing: error))")
        #expect(throws: error!) { try writer.finish() }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try Probe.decodeErrors(writer.temporaryPath) == "")
        let video = try Probe.packetTimes(writer.temporaryPath, stream: "v")
        #expect((video.last ?? 0) >= 1, "video on disk ends at \(video.last ?? 0)")
    }
}
