import Foundation
import Media
import MediaTestSupport
import Testing

/// Each container, written from real encoder output, as ffprobe and ffmpeg see it.
@Suite("MediaFileWriter writes playable files")
struct ContainerWriterTests {
    /// The checks every written file must pass: the codecs, sizes and rates declared; the
    /// duration of what was written; every frame written present; a decode with no complaint.
    private func expectPlayable(_ path: String, video: (codec: String, stream: EncodedStream)?,
                                audio: (codec: String, stream: EncodedStream)?) throws {
        let probe = try Probe(path)
        if let video {
            let stream = try #require(probe.stream("video"))
            #expect(stream.codec_name == video.codec)
            #expect(stream.width == video.stream.width && stream.height == video.stream.height)
            #expect(stream.packets == video.stream.frames.count)
        }
        if let audio {
            let stream = try #require(probe.stream("audio"))
            #expect(stream.codec_name == audio.codec)
            #expect(stream.sample_rate == String(audio.stream.sampleRate))
            #expect(stream.channels == audio.stream.channels)
            #expect(stream.packets == audio.stream.frames.count)
        }
        #expect(abs(probe.durationSeconds - Double(MediaFixtures.seconds)) < 0.1, "duration \(probe.durationSeconds)")
        #expect(try Probe.decodeErrors(path) == "")
    }

    @Test("WebM: VP8 + Opus, the OpusHead made by the writer")
    func webmVP8Opus() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("vp8.webm")
        let writer = try MediaFileWriter(path: path, container: .webm, tracks: [
            .video(.vp8, width: fixtures.vp8.width, height: fixtures.vp8.height),
            .audio(.opus, channels: 2),
        ])
        try writer.writeInterleaved([fixtures.vp8, fixtures.opus])
        #expect(try writer.finish() == path)
        #expect(!FileManager.default.fileExists(atPath: writer.temporaryPath))
        #expect(writer.statistics.map(\.framesWritten) == [fixtures.vp8.frames.count, fixtures.opus.frames.count])
        try expectPlayable(path, video: ("vp8", fixtures.vp8), audio: ("opus", fixtures.opus))
        #expect(try Probe.decodedFrames(path, stream: "v") == fixtures.vp8.frames.count)
    }

    @Test("WebM: VP9 + Opus, the encoder's own OpusHead")
    func webmVP9Opus() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("vp9.webm")
        let writer = try MediaFileWriter(path: path, container: .webm, tracks: [
            .video(.vp9, width: fixtures.vp9.width, height: fixtures.vp9.height),
            .audio(.opus, channels: fixtures.opus.channels, extradata: fixtures.opus.extradata),
        ])
        try writer.writeInterleaved([fixtures.vp9, fixtures.opus])
        try writer.finish()
        try expectPlayable(path, video: ("vp9", fixtures.vp9), audio: ("opus", fixtures.opus))
    }

    @Test("Fragmented MP4: H.264 (Annex B SPS/PPS from the first keyframe) + AAC")
    func mp4H264AAC() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("h264.mp4")
        let keyframe = try #require(fixtures.h264.frames.first { $0.isKeyframe })
        let parameterSets = try #require(H264AnnexB.parameterSets(in: keyframe.data))
        let writer = try MediaFileWriter(path: path, container: .mp4, tracks: [
            .video(.h264, width: fixtures.h264.width, height: fixtures.h264.height, extradata: parameterSets),
            .audio(.aac, sampleRate: fixtures.aac.sampleRate, channels: fixtures.aac.channels, extradata: fixtures.aac.extradata),
        ])
        try writer.writeInterleaved([fixtures.h264, fixtures.aac])
        try writer.finish()
        try expectPlayable(path, video: ("h264", fixtures.h264), audio: ("aac", fixtures.aac))
        #expect(try Probe.decodedFrames(path, stream: "v") == fixtures.h264.frames.count)
        // The muxer turned the Annex B into avcC and length-prefixed samples: a player that
        // knows only MP4's form (not start codes) must find the parameter sets in the header.
        let tags = try ExternalTool.standardOutput("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                               "stream=codec_tag_string,is_avc,profile", "-of", "csv=p=0", path])
        #expect(tags.contains("avc1"))
        #expect(tags.contains("true"))
    }

    @Test("Fragmented MP4: Opus (libavformat's dOps)")
    func mp4Opus() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("opus.mp4")
        let writer = try MediaFileWriter(path: path, container: .mp4, tracks: [.audio(.opus, channels: 2)])
        try writer.writeInterleaved([fixtures.opus])
        try writer.finish()
        try expectPlayable(path, video: nil, audio: ("opus", fixtures.opus))
    }

    @Test("Ogg: Opus")
    func oggOpus() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("audio.ogg")
        let writer = try MediaFileWriter(path: path, container: .ogg, tracks: [.audio(.opus, channels: 2)])
        try writer.writeInterleaved([fixtures.opus])
        try writer.finish()
        try expectPlayable(path, video: nil, audio: ("opus", fixtures.opus))
    }
}
