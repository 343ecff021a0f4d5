import Foundation
import Media
import MediaTestSupport

/// Ten seconds of each codec, encoded by the ffmpeg CLI (a moving test pattern, a tone) and read
/// back into frames: real encoder output with real keyframes and timestamps. Encoded once per
/// machine (kept in the temporary directory), read once per test run.
struct MediaFixtures: Sendable {
    static let seconds = 10
    let directory: String
    let vp8: EncodedStream
    let vp9: EncodedStream
    let h264: EncodedStream
    let opus: EncodedStream
    let aac: EncodedStream
    /// What a camera sends a recorder: 640x480 at 30 fps, about 1 Mbit/s (for the transcoders).
    let vp8VGA: EncodedStream
    let vp9VGA: EncodedStream
    /// A 16:9 picture, for a sender that changes shape mid-stream.
    let vp8Wide: EncodedStream

    var vp8Path: String { directory + "/vp8.ivf" }
    var opusPath: String { directory + "/opus.ogg" }
    var h264Path: String { directory + "/h264.ts" }
    var aacPath: String { directory + "/aac.m4a" }

    /// Made on first use, shared by every test (a static let initialises once, thread-safely).
    private static let made: Result<MediaFixtures, ExternalTool.Failure> = {
        do {
            return .success(try MediaFixtures())
        } catch {
            return .failure(ExternalTool.Failure(description: "fixtures: \(error)"))
        }
    }()

    static func shared() throws -> MediaFixtures { try made.get() }

    /// The encoder command lines, by output file name. Their text names the cache directory, so
    /// a changed recipe makes fresh files.
    private static let recipes: [(String, [String])] = {
        let duration = ["-t", String(seconds)]
        let video = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30"] + duration
        let vga = ["-f", "lavfi", "-i", "testsrc2=size=640x480:rate=30"] + duration
        let wide = ["-f", "lavfi", "-i", "testsrc2=size=480x270:rate=30"] + duration
        let realtimeVP8 = ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-g", "60"]
        let tone = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] + duration + ["-ac", "2"]
        return [
            ("vp8.ivf", video + ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k", "-g", "60"]),
            ("vp9.ivf", video + ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k", "-g", "60"]),
            // MPEG-TS keeps H.264 in Annex B with SPS/PPS before every IDR, as RTP delivers it.
            ("h264.ts", video + ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                                 "-profile:v", "baseline", "-b:v", "400k", "-g", "60", "-f", "mpegts"]),
            ("opus.ogg", tone + ["-c:a", "libopus", "-b:a", "32k", "-frame_duration", "20"]),
            ("aac.m4a", tone + ["-c:a", "aac", "-b:a", "96k"]),
            ("vp8-vga.ivf", vga + realtimeVP8 + ["-b:v", "1M"]),
            ("vp9-vga.ivf", vga + ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M", "-g", "60"]),
            ("vp8-wide.ivf", wide + realtimeVP8 + ["-b:v", "500k"]),
        ]
    }()

    /// Encodes into a private directory and renames it into place, so concurrent test runs
    /// never see half-written fixtures; later runs reuse them.
    private init() throws {
        var hasher = FNV1a()
        for (name, arguments) in Self.recipes { hasher.add(name + arguments.joined(separator: " ")) }
        directory = NSTemporaryDirectory() + "tapedeck-media-fixtures-\(String(hasher.value, radix: 16))"
        if !FileManager.default.fileExists(atPath: directory) {
            let staging = directory + ".\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for (name, arguments) in Self.recipes {
                try ExternalTool.check("ffmpeg", ["-nostdin", "-v", "error", "-y"] + arguments + [staging + "/" + name])
            }
            if rename(staging, directory) != 0 { try? FileManager.default.removeItem(atPath: staging) }
        }
        vp8 = try EncodedStream.read(directory + "/vp8.ivf").retimed(to: .rtpVideo)
        vp9 = try EncodedStream.read(directory + "/vp9.ivf").retimed(to: .rtpVideo)
        h264 = try EncodedStream.read(directory + "/h264.ts").retimed(to: .rtpVideo)
        opus = try EncodedStream.read(directory + "/opus.ogg").retimed(to: .samples(48_000))
        aac = try EncodedStream.read(directory + "/aac.m4a").retimed(to: .samples(48_000))
        vp8VGA = try EncodedStream.read(directory + "/vp8-vga.ivf").retimed(to: .rtpVideo)
        vp9VGA = try EncodedStream.read(directory + "/vp9-vga.ivf").retimed(to: .rtpVideo)
        vp8Wide = try EncodedStream.read(directory + "/vp8-wide.ivf").retimed(to: .rtpVideo)
    }
}

/// A stable hash (Swift's Hasher is seeded per process).
private struct FNV1a {
    var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01B3 }
    }
}

/// A fresh directory per test, removed afterwards.
struct ScratchDirectory: ~Copyable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "tapedeck-media-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

extension MediaFileWriter {
    /// Writes the streams' frames in time order, one stream per track, as a recorder would.
    func writeInterleaved(_ streams: [EncodedStream]) throws {
        let schedule = streams.enumerated().flatMap { track, stream in
            stream.frames.map { (time: stream.seconds($0), track: track, frame: $0) }
        }.sorted { $0.time < $1.time }
        for item in schedule {
            try write(track: item.track, data: item.frame.data, pts: item.frame.pts, isKeyframe: item.frame.isKeyframe)
        }
    }
}
