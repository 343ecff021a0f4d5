import Foundation
import Media
import MediaTestSupport
import Testing

/// Timestamps as the writer places them: gaps kept, starts kept, repeats nudged, regressions
/// dropped, video starting at a keyframe.
@Suite("MediaFileWriter keeps the timeline")
struct TimelineTests {
    @Test("An Opus hole of 2 s stays a hole", arguments: [MediaContainer.webm, .ogg, .mp4])
    func audioGapStaysAGap(container: MediaContainer) throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("gap." + container.fileExtension)
        var opus = fixtures.opus
        opus.frames.removeAll { (3.0..<5.0).contains(fixtures.opus.seconds($0)) }
        let writer = try MediaFileWriter(path: path, container: container, tracks: [.audio(.opus, channels: 2)])
        try writer.writeInterleaved([opus])
        try writer.finish()

        let times = try Probe.packetTimes(path, stream: "a")
        #expect(times.count == opus.frames.count)
        let last = try #require(times.last)
        #expect(abs(last - opus.seconds(opus.frames.last!)) < 0.03, "last packet at \(last)")
        // The hole is in the file: no packet between 3 s and 5 s, and the file spans 10 s.
        #expect(!times.contains { $0 > 3.01 && $0 < 4.99 })
        #expect(abs(try Probe(path).durationSeconds - Double(MediaFixtures.seconds)) < 0.1)
        #expect(try Probe.decodeErrors(path) == "")
    }

    @Test("A 3 s hole in one track while the other carries on stays a hole",
          arguments: [MediaContainer.webm, .mp4], [MediaKind.video, .audio])
    func holeInOneTrack(container: MediaContainer, kind: MediaKind) throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("hole-in-\(kind)." + container.fileExtension)
        let video = container == .webm ? fixtures.vp8 : fixtures.h264
        let audio = container == .webm ? fixtures.opus : fixtures.aac
        let parameterSets = container == .mp4 ? H264AnnexB.parameterSets(in: video.frames[0].data) : nil
        let writer = try MediaFileWriter(path: path, container: container, tracks: [
            .video(container == .webm ? .vp8 : .h264, width: video.width, height: video.height, extradata: parameterSets),
            .audio(container == .webm ? .opus : .aac, sampleRate: audio.sampleRate, channels: audio.channels,
                   extradata: container == .mp4 ? audio.extradata : nil),
        ])
        // A camera stalls from 3 s to 6 s and comes back at the next keyframe (6 s, GOP of 2 s);
        // or a microphone goes silent (DTX, loss) for as long.
        var streams = [video, audio]
        let index = kind == .video ? 0 : 1
        let original = streams[index]
        streams[index].frames.removeAll { (3.0..<6.0).contains(original.seconds($0)) }
        try writer.writeInterleaved(streams)
        try writer.finish()

        let times = try Probe.packetTimes(path, stream: kind == .video ? "v" : "a")
        #expect(times.count == streams[index].frames.count)
        let resumed = try #require(times.first { $0 > 2.99 })
        let expected = try #require(streams[index].frames.map(original.seconds).first { $0 > 2.99 })
        #expect(abs(resumed - expected) < 0.002, "\(kind) resumes at \(resumed), not \(expected)")
        #expect(abs((times.last ?? 0) - original.seconds(original.frames.last!)) < 0.002)
        #expect(try Probe.decodeErrors(path) == "")
    }

    @Test("A track that starts late keeps its offset", arguments: [MediaContainer.webm, .mp4])
    func lateTrackKeepsItsOffset(container: MediaContainer) throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("late." + container.fileExtension)
        let video = container == .webm ? fixtures.vp8 : fixtures.h264
        let parameterSets = container == .mp4 ? H264AnnexB.parameterSets(in: video.frames[0].data) : nil
        let writer = try MediaFileWriter(path: path, container: container, tracks: [
            .video(container == .webm ? .vp8 : .h264, width: video.width, height: video.height, extradata: parameterSets),
            .audio(.opus, channels: 2),
        ])
        // Audio starts 0.5 s in and video 2 s in: each must play where its timestamps say, not
        // at 0 (a recording's tracks are on one clock; shifting either breaks lip sync).
        try writer.writeInterleaved([video.prefix(seconds: 4).retimed(to: .rtpVideo, start: 180_000),
                                     fixtures.opus.prefix(seconds: 5).retimed(to: .samples(48_000), start: 24_000)])
        try writer.finish()
        let videoTimes = try Probe.packetTimes(path, stream: "v")
        let audioTimes = try Probe.packetTimes(path, stream: "a")
        let firstVideo = try #require(videoTimes.first)
        let firstAudio = try #require(audioTimes.first)
        #expect(abs(firstVideo - 2) < 0.002, "video starts at \(firstVideo)")
        #expect(abs(firstAudio - 0.5) < 0.002, "audio starts at \(firstAudio)")
        #expect(abs(videoTimes[1] - videoTimes[0] - 1.0 / 30) < 0.002)
        #expect(try Probe.decodeErrors(path) == "")
    }

    @Test("Repeated and earlier timestamps move one tick on, none dropped; video starts at a keyframe")
    func monotonicTimestamps() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("jitter.webm")
        let video = fixtures.vp8.prefix(seconds: 3)
        let writer = try MediaFileWriter(path: path, container: .webm, tracks: [
            .video(.vp8, width: video.width, height: video.height),
        ])
        let frames = video.frames
        // A delta frame before any keyframe: skipped, or the file would start undecodable.
        try writer.write(track: 0, data: frames[1].data, pts: 0, isKeyframe: false)
        try writer.write(track: 0, data: frames[0].data, pts: frames[0].pts, isKeyframe: true)
        // The next frame repeats the keyframe's timestamp: written 1 ms (one WebM tick) later.
        try writer.write(track: 0, data: frames[1].data, pts: frames[0].pts, isKeyframe: false)
        for frame in frames[2..<30] {
            try writer.write(track: 0, data: frame.data, pts: frame.pts, isKeyframe: frame.isKeyframe)
        }
        // A frame from 500 ms ago: written one tick after the previous, and the frames after it
        // carry on as they were (dropping it would break every frame up to the next keyframe).
        try writer.write(track: 0, data: frames[30].data, pts: frames[29].pts - 45_000, isKeyframe: false)
        for frame in frames[31...] {
            try writer.write(track: 0, data: frame.data, pts: frame.pts, isKeyframe: frame.isKeyframe)
        }
        try writer.finish()

        let statistics = writer.statistics[0]
        #expect(statistics.timestampsAdjusted == 2)
        #expect(statistics.framesSkippedBeforeKeyframe == 1)
        #expect(statistics.framesWritten == frames.count)
        let times = try Probe.packetTimes(path, stream: "v")
        #expect(times.count == statistics.framesWritten)
        #expect(times[1] == 0.001)
        #expect(times[30] == times[29] + 0.001)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        let decodeErrors = try Probe.decodeErrors(path)
        #expect(decodeErrors == "", "\(decodeErrors)")
    }

    @Test("audio never overlaps: frames that would start before the last one ended are placed at its end, none dropped")
    func audioDoesNotOverlap() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("moved-back.ogg")
        let audio = fixtures.opus.prefix(seconds: 2)
        let writer = try MediaFileWriter(path: path, container: .ogg, tracks: [.audio(.opus, channels: audio.channels)])
        let frames = audio.frames
        for frame in frames[..<50] {
            try writer.write(track: 0, data: frame.data, pts: frame.pts, isKeyframe: true)
        }
        // The timeline moves 90 ms back (a broken timeline upstream): every later frame would
        // overlap the one before, so each is placed where the one before ends: the track plays
        // 90 ms late from there, which counts once.
        let shift: Int64 = 90 * 48
        for frame in frames[50...] {
            try writer.write(track: 0, data: frame.data, pts: frame.pts - shift, isKeyframe: true)
        }
        try writer.finish()

        let statistics = writer.statistics[0]
        #expect(statistics.timestampsAdjusted == 1)
        #expect(statistics.framesWritten == frames.count)
        let times = try Probe.packetTimes(path, stream: "a")
        #expect(times.count == frames.count)
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 >= 0.0199 })
        #expect(try Probe.decodeErrors(path) == "")
    }
}
