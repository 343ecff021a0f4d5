import Foundation
import Media
import MediaTestSupport
import Testing

/// Files read back frame by frame as a depacketizer would hand them over: what `tapedeck render`
/// makes a recording without a capture again from.
@Suite("MediaFileReader: a file's frames, H.264 as Annex B")
struct MediaFileReaderTests {
    static let directory: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("file-reader-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Two seconds of 30 fps video (a keyframe each second) and a tone, encoded by the ffmpeg CLI.
    static func make(_ name: String, video: [String], audio: [String]) throws -> String {
        let path = directory + "/" + name
        try ExternalTool.check("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                                          "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2", "-ac", "2"]
                                         + video + ["-g", "30"] + audio + [path])
        return path
    }

    static func readAll(_ reader: MediaFileReader) throws -> [(stream: Int, pts: Int64, keyframe: Bool, data: [UInt8])] {
        var frames: [(stream: Int, pts: Int64, keyframe: Bool, data: [UInt8])] = []
        while let frame = try reader.next() {
            frames.append((frame.stream, frame.pts, frame.isKeyframe, Array(frame.data)))
        }
        return frames
    }

    @Test("MP4's H.264 comes out as Annex B with its parameter sets on every keyframe; AAC is named for what it is")
    func mp4() throws {
        let path = try Self.make("h264-aac.mp4", video: ["-c:v", "libx264", "-preset", "ultrafast", "-bf", "0"], audio: ["-c:a", "aac"])
        let reader = try MediaFileReader(path: path)
        let video = try #require(reader.streams.first { $0.kind == .video })
        let audio = try #require(reader.streams.first { $0.kind == .audio })
        #expect(video.codec == .h264 && video.width == 320 && video.height == 240)
        #expect(audio.codec == .aac && audio.codecName == "aac")
        let frames = try Self.readAll(reader)
        let pictures = frames.filter { $0.stream == video.index }
        #expect(pictures.count == 60)
        let keyframes = pictures.filter(\.keyframe)
        #expect(keyframes.count == 2)
        for keyframe in keyframes {
            #expect(Array(keyframe.data.prefix(4)) == [0, 0, 0, 1] || Array(keyframe.data.prefix(3)) == [0, 0, 1])
            #expect(H264AnnexB.parameterSets(in: keyframe.data) != nil, "SPS and PPS in band, as RTP carries them")
        }
        #expect(zip(pictures, pictures.dropFirst()).allSatisfy { $0.pts < $1.pts })
        #expect(frames.contains { $0.stream == audio.index })
    }

    @Test("WebM's VP8 and Opus frames come out as written, in the file's order")
    func webm() throws {
        let path = try Self.make("vp8-opus.webm", video: ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8"],
                                 audio: ["-c:a", "libopus"])
        let reader = try MediaFileReader(path: path)
        #expect(Set(reader.streams.compactMap(\.codec)) == [.vp8, .opus])
        let frames = try Self.readAll(reader)
        let video = try #require(reader.streams.first { $0.codec == .vp8 })
        #expect(frames.filter { $0.stream == video.index }.count == 60)
        #expect(frames.filter { $0.stream == video.index && $0.keyframe }.count >= 2)
        // VP8's own keyframe flag (the first byte's low bit clear) agrees with the container's.
        #expect(frames.filter { $0.stream == video.index }.allSatisfy { ($0.data[0] & 1 == 0) == $0.keyframe })
    }

    @Test("A file cut short reads what precedes the cut; what is no media file is refused, naming it")
    func damaged() throws {
        let path = try Self.make("cut.webm", video: ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8"], audio: ["-c:a", "libopus"])
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = Self.directory + "/cut-half.webm"
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        let reader = try MediaFileReader(path: cut)
        var read = 0
        do {
            while try reader.next() != nil { read += 1 }
        } catch {
            #expect("\(error)".hasPrefix(cut))
        }
        #expect(read > 20)
        #expect(read < (try Self.readAll(MediaFileReader(path: path))).count)

        let text = Self.directory + "/notes.webm"
        try Data("not a media file".utf8).write(to: URL(fileURLWithPath: text))
        #expect {
            _ = try MediaFileReader(path: text)
        } throws: { error in
            "\(error)".hasPrefix(text + ": cannot")
        }
    }
}
