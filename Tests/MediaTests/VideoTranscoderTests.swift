import Foundation
import Media
import MediaTestSupport
import Testing

/// VP8 and VP9 from a sender, as H.264 in fragmented MP4, judged by ffprobe and ffmpeg.
@Suite("VideoTranscoder: VP8/VP9 to H.264")
struct VideoTranscoderTests {
    @Test("VP8 and VP9 640x480 become one H.264 track: every frame, the size, the duration", arguments: [MediaCodec.vp8, .vp9])
    func transcodesToH264(codec: MediaCodec) throws {
        let fixtures = try MediaFixtures.shared()
        let stream = codec == .vp8 ? fixtures.vp8VGA : fixtures.vp9VGA
        let scratch = try ScratchDirectory()
        let path = scratch.file("\(codec).mp4")
        let transcoder = try VideoTranscoder(input: codec, width: stream.width, height: stream.height)
        #expect(transcoder.track.codec == .h264)
        #expect(transcoder.track.width == 640 && transcoder.track.height == 480)
        #expect(transcoder.needsKeyframe)
        let frames = try Transcoding.video(stream, transcoder)
        #expect(!transcoder.needsKeyframe)
        #expect(frames.count == stream.frames.count)
        #expect(transcoder.statistics.framesDecoded == stream.frames.count)
        #expect(transcoder.statistics.framesUndecodable == 0 && transcoder.statistics.framesScaled == 0)
        // No B-frames: the frames come out in presentation order, with the input's timestamps.
        #expect(frames.map(\.pts) == stream.frames.map(\.pts))
        // A keyframe every 2 s of timestamps (x264 may add one at a scene cut, never fewer).
        let keyframes = frames.filter(\.isKeyframe).map { Double($0.pts) / 90_000 }
        #expect(keyframes.first == 0)
        #expect(zip(keyframes, keyframes.dropFirst()).allSatisfy { $1 - $0 <= 2.001 }, "keyframes at \(keyframes)")
        #expect(keyframes.count >= 5)

        try Transcoding.writeMP4(path, track: transcoder.track, frames: frames)
        let probe = try Probe(path)
        let video = try #require(probe.stream("video"))
        #expect(video.codec_name == "h264")
        #expect(video.width == 640 && video.height == 480)
        #expect(video.packets == stream.frames.count)
        let span = Double(stream.frames.count) / 30
        #expect(abs(probe.durationSeconds - span) < 0.1, "duration \(probe.durationSeconds), expected \(span)")
        #expect(try Probe.decodeErrors(path) == "")
        #expect(try Probe.decodedFrames(path, stream: "v") == stream.frames.count)
    }

    @Test("A sender that changes size and shape mid-stream still gives one 640x480 track, the 16:9 part between black bars")
    func resolutionChanges() throws {
        let fixtures = try MediaFixtures.shared()
        // 640x480, then 320x240 (congestion), then 480x270 (another shape), 3 s each.
        let stream = Transcoding.concatenated(Transcoding.concatenated(fixtures.vp8VGA.prefix(seconds: 3),
                                                                       fixtures.vp8.prefix(seconds: 3)),
                                              fixtures.vp8Wide.prefix(seconds: 3))
        #expect(stream.frames.count == 270)
        let scratch = try ScratchDirectory()
        let path = scratch.file("sizes.mp4")
        let transcoder = try VideoTranscoder(input: .vp8, width: stream.width, height: stream.height)
        let frames = try Transcoding.video(stream, transcoder)
        #expect(frames.count == 270)
        #expect(transcoder.statistics.framesScaled == 180)
        try Transcoding.writeMP4(path, track: transcoder.track, frames: frames)

        let probe = try Probe(path)
        let video = try #require(probe.stream("video"))
        #expect(video.width == 640 && video.height == 480 && video.packets == 270)
        #expect(abs(probe.durationSeconds - 9) < 0.1)
        #expect(try Probe.decodeErrors(path) == "")
        #expect(try Probe.decodedFrames(path, stream: "v") == 270)
        // One size for the whole track: every decoded picture is 640x480.
        let sizes = try ExternalTool.standardOutput("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                                "frame=width,height", "-of", "csv=p=0", path])
        #expect(Set(sizes.split(separator: "\n").map { $0.split(separator: ",").prefix(2).joined(separator: "x") })
            == ["640x480"])
        // 480x270 fits as 640x360: rows 0–59 and 420–479 are black, the picture between is not.
        let rows = try lumaRows(path, at: 7.5, width: 640, height: 480)
        #expect(rows[0..<58].allSatisfy { $0.max < 24 }, "top bar")
        #expect(rows[422..<480].allSatisfy { $0.max < 24 }, "bottom bar")
        #expect(rows[62..<418].filter { $0.max > 60 }.count > 300, "picture")
        // The 320x240 part fills the frame (same shape, scaled up).
        let scaled = try lumaRows(path, at: 4.5, width: 640, height: 480)
        #expect(scaled[0..<8].contains { $0.max > 60 })
    }

    @Test("An undecodable frame is skipped, the decoder waits for the next keyframe (asking for one), and the file still decodes")
    func corruptFramesAreSkipped() throws {
        let fixtures = try MediaFixtures.shared()
        var stream = fixtures.vp8VGA.prefix(seconds: 6)
        let keyframes = stream.frames.indices.filter { stream.frames[$0].isKeyframe }
        #expect(keyframes.prefix(3) == [0, 60, 120])
        // A delta frame cut short, and a keyframe whose header says garbage.
        stream.frames[30].data = Array(stream.frames[30].data.prefix(12))
        for index in 3..<10 { stream.frames[60].data[index] ^= 0xA5 }
        let transcoder = try VideoTranscoder(input: .vp8, width: stream.width, height: stream.height)
        var output: [TranscodedFrame] = []
        var askedForKeyframe: [Int] = []
        for (index, frame) in stream.frames.enumerated() {
            output += try transcoder.transcode(frame.data, pts: frame.pts, isKeyframe: frame.isKeyframe)
            if transcoder.needsKeyframe { askedForKeyframe.append(index) }
        }
        output += try transcoder.flush()
        // Frames 30–119 are lost: the cut one, then up to the damaged keyframe, then up to the next.
        #expect(transcoder.statistics.framesUndecodable == 2)
        #expect(transcoder.statistics.framesSkippedWaitingForKeyframe == 88)
        #expect(askedForKeyframe == Array(30..<120))
        #expect(output.count == stream.frames.count - 90)
        let scratch = try ScratchDirectory()
        let path = scratch.file("damaged.mp4")
        try Transcoding.writeMP4(path, track: transcoder.track, frames: output)
        #expect(try Probe.decodeErrors(path) == "")
        #expect(try Probe.decodedFrames(path, stream: "v") == output.count)
        let times = try Probe.packetTimes(path, stream: "v")
        #expect(abs((times.first { $0 > 0.99 } ?? 0) - 4) < 0.001, "resumes at the keyframe at 4 s")
    }

    @Test("Settings: bitrate mode holds the rate; a keyframe interval of 1 s; a bad preset or input is named")
    func settings() throws {
        let fixtures = try MediaFixtures.shared()
        let stream = fixtures.vp8VGA
        let settings = VideoTranscoder.Settings(rateControl: .bitrate(kbps: 300), keyframeInterval: .seconds(1))
        let transcoder = try VideoTranscoder(input: .vp8, width: stream.width, height: stream.height, settings: settings)
        let frames = try Transcoding.video(stream, transcoder)
        let kbps = Double(frames.reduce(0) { $0 + $1.data.count }) * 8 / 10 / 1_000
        #expect(kbps > 200 && kbps < 400, "\(kbps) kbit/s")
        let keyframes = frames.filter(\.isKeyframe).map { Double($0.pts) / 90_000 }
        #expect(keyframes.count >= 10 && zip(keyframes, keyframes.dropFirst()).allSatisfy { $1 - $0 <= 1.001 })

        let preset = #expect(throws: TranscoderError.self) {
            try VideoTranscoder(input: .vp8, width: 640, height: 480, settings: .init(preset: "quick"))
        }
        #expect(preset?.description.contains("preset \"quick\"") == true, "\(String(describing: preset))")
        let input = #expect(throws: TranscoderError.self) { try VideoTranscoder(input: .h264, width: 640, height: 480) }
        #expect(input?.reason == .unsupportedInput(.h264, accepted: [.vp8, .vp9]))
        #expect(input?.description.contains("h264 is not an input it takes (it takes vp8, vp9)") == true)
        let tune = #expect(throws: TranscoderError.self) {
            try VideoTranscoder(input: .vp8, width: 640, height: 480, settings: .init(tune: "nonsense"))
        }
        #expect(tune?.operation == "open libx264 encoder", "\(String(describing: tune))")
    }

    /// The luma of each row of the picture shown at `seconds`, as (min, max).
    private func lumaRows(_ path: String, at seconds: Double, width: Int, height: Int) throws -> [(min: UInt8, max: UInt8)] {
        let raw = path + ".gray"
        try ExternalTool.check("ffmpeg", ["-nostdin", "-v", "error", "-y", "-ss", String(seconds), "-i", path,
                                          "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", raw])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        try #require(bytes.count == width * height)
        return (0..<height).map { row in
            let line = bytes[row * width..<(row + 1) * width]
            return (line.min()!, line.max()!)
        }
    }
}
