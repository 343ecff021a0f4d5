import Foundation
import Media
import MediaTestSupport
import Testing

/// RTP gives video frames no durations; the writer gives each the time until the next, so the
/// file says how long every frame is shown, the last one included.
@Suite("Video frames last until the next one")
struct VideoFrameDurationTests {
    /// Frame times in ms: a steady 30 fps, a frame lost (66 ms), then a 2 s freeze before the last.
    static let milliseconds: [Int64] = [0, 33, 66, 132, 165, 2_165]

    @Test("Each video frame lasts until the next; the last as long as the interval before it, at most 100 ms (here 2.165 s + 0.1 s)",
          arguments: [MediaContainer.webm, .mp4])
    func durations(container: MediaContainer) throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("video.\(container.fileExtension)")
        let stream = container == .mp4 ? fixtures.h264 : fixtures.vp8
        let extradata = container == .mp4 ? H264AnnexB.parameterSets(in: stream.frames[0].data) : nil
        let writer = try MediaFileWriter(path: path, container: container, tracks: [
            .video(container == .mp4 ? .h264 : .vp8, width: stream.width, height: stream.height, extradata: extradata),
        ])
        #expect(writer.end(ofTrack: 0) == nil)
        for (frame, time) in zip(stream.frames, Self.milliseconds) {
            try writer.write(track: 0, data: frame.data, pts: time * 90, isKeyframe: frame.isKeyframe)
        }
        // Held until the next frame or the end, and already counted in the track's end.
        #expect(writer.statistics[0].framesWritten == Self.milliseconds.count - 1)
        #expect(writer.end(ofTrack: 0) == Int64(2_165 + 100) * 90)
        try writer.finish()
        #expect(writer.statistics[0].framesWritten == Self.milliseconds.count)
        #expect(writer.statistics[0].lastTimestamp == Int64(2_165) * 90)

        // In a fragmented MP4 each sample's time is the sum of the durations before it, so the
        // times show every duration but the last, which the track's duration shows. WebM
        // (libavformat 5) keeps no block durations, but the segment's duration counts the last.
        #expect(try Probe.packetTimes(path, stream: "v") == Self.milliseconds.map { Double($0) / 1_000 })
        let probe = try Probe(path)
        let end = container == .mp4 ? try #require(probe.stream("video")).durationSeconds : probe.durationSeconds
        #expect(abs(end - 2.265) < 0.0015, "the video ends at \(end) s")
        #expect(try Probe.decodeErrors(path) == "")
    }

    @Test("A file of one video frame gives it no duration of its own, and ends where it starts")
    func oneFrame() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("one.webm")
        let writer = try MediaFileWriter(path: path, container: .webm, tracks: [
            .video(.vp8, width: fixtures.vp8.width, height: fixtures.vp8.height),
        ])
        try writer.write(track: 0, data: fixtures.vp8.frames[0].data, pts: 9_000, isKeyframe: true)
        #expect(writer.end(ofTrack: 0) == Int64(9_000))
        try writer.finish()
        #expect(try Probe.decodedFrames(path, stream: "v") == 1)
    }
}
