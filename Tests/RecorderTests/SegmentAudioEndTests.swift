import Foundation
import Media
import MediaTestSupport
import RTC
@testable import Recorder
import Testing

/// A stream's extent in a file as ffprobe reads it (as Tests/e2e/media_checks.py's
/// `stream_durations` does): from the first packet's time to where the last one ends. A
/// fragmented MP4 states every sample's duration, and ffprobe's stream duration is the track's
/// end (the first fragment's start time counts from 0); ffprobe's packet durations there are
/// not the file's. Elsewhere the end is the last packet's time plus its duration, or, when the
/// file gives none (WebM video), the interval before it.
private struct ProbedStream {
    var times: [Double]
    var start: Double
    var end: Double

    init?(file: String, stream: String) throws {
        let csv = try ExternalTool.standardOutput("ffprobe", ["-v", "error", "-select_streams", "\(stream):0", "-show_entries",
                                                              "packet=pts_time,duration_time", "-of", "csv=p=0", file])
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let packets = rows.compactMap { row in row.first.flatMap(Double.init).map { ($0, row.count > 1 ? Double(row[1]) : nil) } }
        guard let last = packets.max(by: { $0.0 < $1.0 }) else { return nil }
        times = packets.map(\.0)
        start = times.min() ?? 0
        if file.hasSuffix(".mp4") {
            let duration = try ExternalTool.standardOutput("ffprobe", ["-v", "error", "-select_streams", "\(stream):0", "-show_entries",
                                                                       "stream=duration", "-of", "csv=p=0", file])
            end = try #require(Double(duration.trimmingCharacters(in: .whitespacesAndNewlines)))
        } else {
            let before = times.filter { $0 < last.0 }.max()
            end = last.0 + (last.1 ?? before.map { last.0 - $0 } ?? 0)
        }
    }
}

/// When audio packets (20 ms each) start, in seconds, against 2 s of video from 0 s.
enum AudioPattern: String, CaseIterable, CustomTestStringConvertible {
    /// Sound for half a second, then silence as a sender in DTX sends it — a packet every
    /// 400 ms — the last ending 280 ms before the video.
    case soundThenDTX
    /// DTX from the start: the first packet 150 ms after the video's first frame.
    case dtxFromTheStart

    var times: [Double] {
        switch self {
        case .soundThenDTX: (0..<25).map { Double($0) * 0.02 } + [0.9, 1.3, 1.7]
        case .dtxFromTheStart: [0.15, 0.55, 0.95, 1.35]
        }
    }

    /// The stretches between packets that DTX left empty.
    var gaps: [ClosedRange<Double>] {
        zip(times, times.dropFirst()).compactMap { earlier, later in
            later - earlier > 0.1 ? (earlier + 0.021)...(later - 0.001) : nil
        }
    }

    var testDescription: String { rawValue }
}

@Suite("A segment's audio starts and ends with its video")
struct SegmentAudioEndTests {
    static let framesPerSecond = 30
    static let videoFrames = 60  // 2 s: the video ends at 2.0 s
    static let videoEnd = 2.0

    @Test("Audio that DTX left short of the video at either end is carried on with silence to the video's start and end, in one file or two, passed through or transcoded; gaps inside stay in time",
          arguments: ["webm", "per-track-webm", "mp4"], AudioPattern.allCases)
    func audioEndsWithTheVideo(recipe name: String, pattern: AudioPattern) throws {
        let scratch = try ScratchDirectory()
        let recipe = try RecipeCatalog.named(name)
        let files = try record(recipe, audioTimes: pattern.times, into: scratch)
        #expect(files.allSatisfy { $0.complete && $0.error == nil }, "\(files)")

        var audio: ProbedStream?, video: ProbedStream?
        for file in files {
            let path = scratch.file(file.path)
            #expect(try ExternalTool.decodeErrors(path) == "")
            audio = try audio ?? ProbedStream(file: path, stream: "a")
            video = try video ?? ProbedStream(file: path, stream: "v")
        }
        let sound = try #require(audio), picture = try #require(video)
        #expect(abs(picture.end - Self.videoEnd) < 0.002, "video ends at \(picture.end)")
        // Within half an Opus packet passed through (10 ms); a transcoder's AAC ends exactly.
        #expect(abs(sound.end - picture.end) <= (recipe.audio == .passthrough ? 0.010 : 0.001), "audio ends at \(sound.end), video at \(picture.end)")
        #expect(abs(sound.start - picture.start) < 0.002, "audio starts at \(sound.start), video at \(picture.start)")
        if recipe.audio == .passthrough {
            // The packets after DTX's gaps are where they were sent, and the gaps are not filled.
            for time in pattern.times {
                #expect(sound.times.contains { abs($0 - time) < 0.001 }, "no packet at \(time) s: \(sound.times)")
            }
            for gap in pattern.gaps {
                #expect(!sound.times.contains { gap.contains($0) }, "the gap \(gap) was filled: \(sound.times)")
            }
        }
    }

    /// Writes the video and the DTX-like audio into a segment of `recipe`, as a participant's
    /// recorder would (in time order, both tracks anchored at the segment's start), and finishes it.
    private func record(_ recipe: Recipe, audioTimes: [Double], into scratch: ScratchDirectory) throws -> [RecordedFile] {
        let videoEncoder = try TestPatternVideoEncoder(configuration: .init(width: 160, height: 120,
                                                                            framesPerSecond: Self.framesPerSecond, bitrateKbps: 200))
        let audioEncoder = try ToneAudioEncoder(configuration: .init())
        let pictures = try (0..<Self.videoFrames).map { _ in try videoEncoder.encodeNextFrame() }
        let sounds = try audioTimes.map { _ in try audioEncoder.encodeNextFrame().data }

        let planner = TrackFormatPlanner(format: recipe)
        let start = 1_700_000_000.0
        let audio = try planner.plan(codec: .opus, width: nil, height: nil, firstFrame: sounds[0]).get()
        let video = try planner.plan(codec: .vp8, width: 160, height: 120, firstFrame: pictures[0].data).get()
        let planned = [
            RecordingSegment.PlannedTrack(key: TrackKey(mid: "0", ssrc: 1), description: audio.description, sourceCodec: .opus,
                                          transcoder: audio.transcoder, origin: start),
            RecordingSegment.PlannedTrack(key: TrackKey(mid: "1", ssrc: 2), description: video.description, sourceCodec: .vp8,
                                          transcoder: video.transcoder, origin: start),
        ]
        let fileExtension = recipe.container.fileExtension
        let groups = recipe.layout == .perTrack
            ? planned.map { (path: "track-\($0.key.mid ?? "").\(fileExtension)", tracks: [$0]) }
            : [(path: "participant.\(fileExtension)", tracks: planned)]
        let segment = try RecordingSegment(number: 1, start: start, directory: scratch.path, container: recipe.container, groups: groups)

        // (seconds, track, bytes, timestamp in the track's clock, keyframe), in time order.
        let frames = zip(audioTimes, sounds).map { ($0, 0, $1, Int64(($0 * 48_000).rounded()), true) }
            + pictures.map { (Double($0.timestamp) / 90_000, 1, $0.data, $0.timestamp, $0.isKeyframe) }
        for (_, track, bytes, timestamp, isKeyframe) in frames.sorted(by: { $0.0 < $1.0 }) {
            bytes.withUnsafeBytes { _ = segment.write(track: track, bytes: $0, timestamp: timestamp, isKeyframe: isKeyframe) }
        }
        return segment.finish(timing: { _ in nil })
    }
}
