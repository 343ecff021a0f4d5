import Foundation
import Media
import MediaTestSupport
import Testing

/// The MP4 recipe end to end: a VP8 camera and an Opus microphone, each through its
/// transcoder, into one fragmented MP4, frame by frame in arrival order as a recorder feeds it.
@Suite("Transcoders feeding one MP4")
struct TranscodedRecordingTests {
    @Test("VP8 + Opus in, H.264 + AAC out, in one file, on one timeline")
    func audioAndVideo() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("recording.mp4")
        let camera = fixtures.vp8VGA
        let microphone = fixtures.opus
        let video = try VideoTranscoder(input: .vp8, width: camera.width, height: camera.height)
        let audio = try AudioTranscoder(channels: microphone.channels)
        let writer = try MediaFileWriter(path: path, container: .mp4, tracks: [video.track, audio.track])

        func write(_ frames: [TranscodedFrame], track: Int) throws {
            for frame in frames {
                try writer.write(track: track, data: frame.data, pts: frame.pts, isKeyframe: frame.isKeyframe,
                                 duration: frame.duration)
            }
        }
        let arrivals = (camera.frames.map { (camera.seconds($0), 0, $0) } + microphone.frames.map { (microphone.seconds($0), 1, $0) })
            .sorted { $0.0 < $1.0 }
        for (_, track, frame) in arrivals {
            if track == 0 {
                try write(video.transcode(frame.data, pts: frame.pts, isKeyframe: frame.isKeyframe), track: 0)
            } else {
                try write(audio.transcode(frame.data, pts: frame.pts), track: 1)
            }
        }
        try write(video.flush(), track: 0)
        try write(audio.flush(), track: 1)
        try writer.finish()

        let probe = try Probe(path)
        let h264 = try #require(probe.stream("video"))
        let aac = try #require(probe.stream("audio"))
        #expect(h264.codec_name == "h264" && h264.width == 640 && h264.height == 480 && h264.packets == camera.frames.count)
        #expect(aac.codec_name == "aac" && aac.channels == 2)
        #expect(abs(probe.durationSeconds - 10) < 0.1, "duration \(probe.durationSeconds)")
        #expect(abs(h264.startSeconds) < 0.001 && abs(aac.startSeconds) < 0.001, "starts \(h264.startSeconds), \(aac.startSeconds)")
        #expect(try Probe.decodeErrors(path) == "")
        #expect(try Probe.decodedFrames(path, stream: "v") == camera.frames.count)
        #expect(abs(try DecodedAudio(path).peakFrequency(4, 5) - 440) <= 2)
    }
}
