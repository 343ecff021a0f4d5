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
        let scratch = try ScratchDirectory()
        let path = scratch.file("video.\(container.fileExtension)")
        let (writer, stream) = try Self.videoWriter(container, path: path)
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

    /// A held frame is copied once, into a pooled buffer the muxer takes as it is; one larger
    /// than the pools (a 4K keyframe can be) gets a buffer of its own.
    @Test("Held video frames reach the file byte for byte, one larger than the buffer pools included",
          arguments: [MediaContainer.webm, .mp4])
    func heldBytes(container: MediaContainer) throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("held.\(container.fileExtension)")
        let (writer, stream) = try Self.videoWriter(container, path: path)
        // The second frame is 3 MiB: a real frame with zeros after it (the pools stop at 2 MiB).
        var frames = Array(stream.frames.prefix(4))
        frames[1].data += [UInt8](repeating: 0, count: 3 << 20)
        for (index, frame) in frames.enumerated() {
            try writer.write(track: 0, data: frame.data, pts: Int64(index) * 3_000, isKeyframe: frame.isKeyframe)
        }
        try writer.finish()
        #expect(writer.statistics[0].bytesWritten == frames.reduce(0) { $0 + $1.data.count })
        let sizes = try ExternalTool.standardOutput("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                                "packet=size", "-of", "csv=p=0", path])
            .split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        // MP4 keeps H.264 as length-prefixed NAL units: four bytes for each start code's three or four.
        if container == .webm { #expect(sizes == frames.map(\.data.count)) }
        #expect(sizes.count == frames.count && sizes[1] > 3 << 20, "\(sizes)")
    }

    /// A writer of one video track, H.264 for MP4 and VP8 for WebM, with the fixture it takes.
    private static func videoWriter(_ container: MediaContainer, path: String) throws -> (MediaFileWriter, EncodedStream) {
        let fixtures = try MediaFixtures.shared()
        let stream = container == .mp4 ? fixtures.h264 : fixtures.vp8
        let extradata = container == .mp4 ? H264AnnexB.parameterSets(in: stream.frames[0].data) : nil
        let writer = try MediaFileWriter(path: path, container: container, tracks: [
            .video(container == .mp4 ? .h264 : .vp8, width: stream.width, height: stream.height, extradata: extradata),
        ])
        return (writer, stream)
    }
}
