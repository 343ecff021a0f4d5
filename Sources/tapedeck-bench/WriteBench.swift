import Foundation
import Media
import MediaTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// (h): what a recording's media thread spends writing passthrough files: `files` WebM files of
/// 640x480 30 fps VP8 at 1 Mbit/s plus Opus (real encoder output, ffmpeg's, looped), each frame
/// handed to its file's `MediaFileWriter` in time order across the files, as a media thread
/// receives a room's frames. The writers run on this thread; its CPU time (user and system: the
/// kernel's copy into the page cache shows as system time) and the heap allocations are counted
/// after the first loop of the input, once every file is open and every pool has grown.
///
/// `tapedeck-bench write [files] [media seconds] [runs]` runs this section alone (one run is
/// short enough for callgrind).
enum WriteBench {
    struct Result {
        var files: Int
        var mediaSeconds: Double
        var frames: Int
        var bytes: Int64
        var userSeconds: Double
        var systemSeconds: Double
        var allocations: Int

        var cpuSeconds: Double { userSeconds + systemSeconds }
        var microsecondsPerFrame: Double { cpuSeconds * 1e6 / Double(frames) }
        var cpuPerParticipantSecond: Double { cpuSeconds / (Double(files) * mediaSeconds) }
        var allocationsPerFrame: Double { Double(allocations) / Double(frames) }
    }

    /// The input's length: its frames are written again and again, their times moved on.
    private static let inputSeconds = 10

    /// The best of `runs` runs, by CPU time (the input is encoded once).
    static func run(files count: Int, mediaSeconds: Int, runs: Int = 3) throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let length = ["-t", String(inputSeconds)]
        try FFmpegCommand.run(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x480:rate=30"] + length
            + ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M", "-g", "60", directory + "/vp8.ivf"])
        try FFmpegCommand.run(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
            + length + ["-ac", "2", "-c:a", "libopus", "-b:a", "32k", "-frame_duration", "20", directory + "/opus.ogg"])
        let video = try EncodedStream.read(directory + "/vp8.ivf").retimed(to: .rtpVideo)
        let audio = try EncodedStream.read(directory + "/opus.ogg").retimed(to: .samples(48_000))
        let loopTicks: [Int64] = [Int64(inputSeconds) * 90_000, Int64(inputSeconds) * 48_000]
        // One loop of the input in time order: (track, frame).
        let schedule = [video, audio].enumerated().flatMap { track, stream in
            stream.frames.map { (time: stream.seconds($0), track: track, frame: $0) }
        }.sorted { $0.time < $1.time }

        let tracks: [TrackDescription] = [.video(.vp8, width: video.width, height: video.height),
                                          .audio(.opus, channels: audio.channels, extradata: audio.extradata)]
        var best: Result?
        for run in 0 ..< max(runs, 1) {
            let result = try write(schedule, loopTicks: loopTicks, tracks: tracks, files: count, mediaSeconds: mediaSeconds,
                                   directory: "\(directory)/run-\(run)")
            if best == nil || result.cpuSeconds < best!.cpuSeconds { best = result }
        }
        return best!
    }

    /// One run: `files` writers fed `schedule` over and over, then finished and removed.
    private static func write(_ schedule: [(time: Double, track: Int, frame: MediaTestSupport.EncodedFrame)], loopTicks: [Int64],
                              tracks: [TrackDescription], files count: Int, mediaSeconds: Int,
                              directory: String) throws -> Result {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writers = try (0 ..< count).map { index in
            try MediaFileWriter(path: "\(directory)/participant-\(index).webm", container: .webm, tracks: tracks)
        }
        let loops = max(2, mediaSeconds / inputSeconds)
        var frames = 0
        var before = (usage: ThreadUsage.now, allocations: allocationCount() ?? 0)
        for loop in 0 ..< loops {
            if loop == 1 {
                frames = 0
                before = (ThreadUsage.now, allocationCount() ?? 0)
            }
            for item in schedule {
                let pts = item.frame.pts + Int64(loop) * loopTicks[item.track]
                try item.frame.data.withUnsafeBytes { bytes in
                    for writer in writers {
                        try writer.write(track: item.track, data: bytes, pts: pts, isKeyframe: item.frame.isKeyframe)
                    }
                }
                frames += writers.count
            }
        }
        let after = (usage: ThreadUsage.now, allocations: allocationCount() ?? 0)
        var bytes: Int64 = 0
        for writer in writers {
            bytes += MediaFileWriter.bytesOnDisk(at: writer.temporaryPath) ?? 0
            _ = try writer.finish()
        }
        return Result(files: count, mediaSeconds: Double((loops - 1) * inputSeconds), frames: frames, bytes: bytes,
                      userSeconds: after.usage.user - before.usage.user,
                      systemSeconds: after.usage.system - before.usage.system,
                      allocations: Int(after.allocations) - Int(before.allocations))
    }

    static func report(_ result: Result) {
        func figure(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
        print("  (h) \(result.files) WebM files (VP8 640x480 1 Mbit/s + Opus) written on one thread, "
            + "\(Int(result.mediaSeconds)) s of media: \(result.frames) frames, \(result.bytes / 1_000_000) MB so far")
        print("      \(figure(result.microsecondsPerFrame, 2)) µs/frame (user \(figure(result.userSeconds, 3)) s, "
            + "system \(figure(result.systemSeconds, 3)) s), \(figure(result.cpuPerParticipantSecond, 5)) CPU-s per "
            + "participant-second, \(figure(result.allocationsPerFrame, 2)) allocations per frame")
    }
}
