import Foundation
import Media
import MediaTestSupport

/// (f): what the MP4 recipe's transcoding costs, in CPU-seconds per stream-minute: VP8 →
/// H.264 (libx264, one thread) and Opus → AAC, on streams the ffmpeg CLI encodes at the start
/// (a 640x480 30 fps test pattern at about 1 Mbit/s; a tone and pink noise at 32 kbit/s).
/// CPU time is the process's (getrusage), so threads libav starts count too; reading the input
/// is not timed. Figures, not assertions: the cost decides how many recordings a worker admits.
enum TranscodeBench {
    struct Figure {
        var name: String
        var mediaSeconds: Double
        var cpuSeconds: Double
        var wallSeconds: Double
        var framesOut: Int
    }

    static func run(seconds: Int) throws -> [Figure] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let length = ["-t", String(seconds)]
        let inputs: [(String, [String])] = [
            ("vp8.ivf", ["-f", "lavfi", "-i", "testsrc2=size=640x480:rate=30"] + length
                + ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M", "-g", "60"]),
            ("tone.ogg", ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] + length
                + ["-ac", "2", "-c:a", "libopus", "-b:a", "32k", "-frame_duration", "20"]),
            ("noise.ogg", ["-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.3:sample_rate=48000"] + length
                + ["-ac", "1", "-c:a", "libopus", "-b:a", "32k", "-frame_duration", "20"]),
        ]
        for (name, arguments) in inputs {
            try FFmpegCommand.run(["-nostdin", "-v", "error", "-y"] + arguments + [directory + "/" + name])
        }
        let vp8 = try EncodedStream.read(directory + "/vp8.ivf").retimed(to: .rtpVideo)
        let tone = try EncodedStream.read(directory + "/tone.ogg").retimed(to: .samples(48_000))
        let noise = try EncodedStream.read(directory + "/noise.ogg").retimed(to: .samples(48_000))
        let media = Double(seconds)
        let bitrate = Int(Double(vp8.frames.reduce(0) { $0 + $1.data.count }) * 8 / media / 1_000)

        var figures: [Figure] = []
        for preset in ["veryfast", "ultrafast"] {
            figures.append(try measure("VP8 \(vp8.width)x\(vp8.height) \(bitrate) kbit/s → H.264 \(preset), 1 thread", media) {
                let transcoder = try VideoTranscoder(input: .vp8, width: vp8.width, height: vp8.height,
                                                     settings: .init(preset: preset))
                var count = 0
                for frame in vp8.frames {
                    count += try transcoder.transcode(frame.data, pts: frame.pts, isKeyframe: frame.isKeyframe).count
                }
                return count + (try transcoder.flush().count)
            })
        }
        for (label, stream) in [("stereo tone", tone), ("mono pink noise", noise)] {
            figures.append(try measure("Opus \(label) → AAC \(64 * stream.channels) kbit/s", media) {
                try transcodeAudio(stream, channels: stream.channels)
            })
        }
        // A muted microphone for ten minutes: one second of sound a minute, the rest gaps filled
        // with silence.
        var muted = tone
        muted.frames = (0..<10).flatMap { minute in
            tone.prefix(seconds: 1).retimed(to: .samples(48_000), start: Int64(minute) * 60 * 48_000).frames
        }
        figures.append(try measure("Opus stereo, muted but 1 s a minute → AAC (silence copied)", 9 * 60 + 1) {
            try transcodeAudio(muted, channels: 2)
        })
        return figures
    }

    static func report(_ figures: [Figure]) {
        print("MP4 recipe transcoding, CPU time per stream-minute (best of 2 runs):")
        for figure in figures {
            let perMinute = figure.cpuSeconds / figure.mediaSeconds * 60
            let streamsPerCore = figure.mediaSeconds / figure.cpuSeconds
            print("  (f) \(figure.name):")
            print("      \(String(format: "%.3f", perMinute)) CPU-s per stream-minute "
                + "(\(String(format: "%.4f", figure.cpuSeconds / figure.mediaSeconds)) per stream-second, "
                + "\(String(format: "%.1f", streamsPerCore)) real-time streams per core), "
                + "\(figure.framesOut) frames out of \(Int(figure.mediaSeconds)) s, wall \(String(format: "%.2f", figure.wallSeconds)) s")
        }
    }

    private static func transcodeAudio(_ stream: EncodedStream, channels: Int) throws -> Int {
        let transcoder = try AudioTranscoder(channels: channels)
        var count = 0
        for frame in stream.frames { count += try transcoder.transcode(frame.data, pts: frame.pts).count }
        return count + (try transcoder.flush().count)
    }

    /// The best of two runs of `body`, by CPU time.
    private static func measure(_ name: String, _ media: Double, _ body: () throws -> Int) throws -> Figure {
        var best: Figure?
        for _ in 0..<2 {
            let cpuBefore = processCPUSeconds()
            let wallBefore = ContinuousClock.now
            let frames = try body()
            let wall = ContinuousClock.now - wallBefore
            let figure = Figure(name: name, mediaSeconds: media, cpuSeconds: processCPUSeconds() - cpuBefore,
                                wallSeconds: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18,
                                framesOut: frames)
            if best == nil || figure.cpuSeconds < best!.cpuSeconds { best = figure }
        }
        return best!
    }

    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
