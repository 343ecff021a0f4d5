import Foundation
import Media
import MediaTestSupport
import Testing

/// Bad requests fail early with a clear error; a failed file is still playable.
@Suite("MediaFileWriter errors")
struct WriterErrorTests {
    @Test("A codec the container cannot carry is refused before a file is made",
          arguments: [(MediaContainer.mp4, MediaCodec.vp8), (.webm, .h264), (.webm, .aac), (.ogg, .vp8), (.ogg, .aac)])
    func unsupportedCodec(container: MediaContainer, codec: MediaCodec) throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("wrong." + container.fileExtension)
        let track: TrackDescription = codec.kind == .video
            ? .video(codec, width: 320, height: 240, extradata: [0, 0, 0, 1, 0x67, 0, 0, 0, 1, 0x68])
            : .audio(codec, extradata: [0x11, 0x90])
        let error = #expect(throws: MediaWriterError.self) {
            try MediaFileWriter(path: path, container: container, tracks: [track])
        }
        #expect(error?.reason == .unsupportedCodec(codec, container))
        #expect(error?.description.contains("\(container.rawValue) cannot carry \(codec.rawValue)") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }

    @Test("Incomplete descriptions name what is missing")
    func invalidTracks() throws {
        let scratch = try ScratchDirectory()
        let cases: [(MediaContainer, TrackDescription, String)] = [
            (.mp4, .video(.h264, width: 640, height: 480), "SPS and PPS"),
            (.mp4, .audio(.aac), "AudioSpecificConfig"),
            (.webm, .video(.vp8, width: 0, height: 480), "width and a height"),
            (.ogg, .audio(.opus, sampleRate: 16_000), "48 kHz"),
            (.ogg, .audio(.opus, channels: 6), "mapping table"),
            (.webm, .audio(.opus, extradata: [1, 2, 3]), "not an OpusHead"),
        ]
        for (container, track, expected) in cases {
            let error = #expect(throws: MediaWriterError.self) {
                try MediaFileWriter(path: scratch.file("x." + container.fileExtension), container: container, tracks: [track])
            }
            #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        }
    }

    @Test("A directory that does not exist: avio_open's error, and no file")
    func missingDirectory() throws {
        let path = NSTemporaryDirectory() + "tapedeck-no-such-dir-\(UUID().uuidString)/out.webm"
        let error = #expect(throws: MediaWriterError.self) {
            try MediaFileWriter(path: path, container: .webm, tracks: [.audio(.opus)])
        }
        #expect(error?.operation == "avio_open")
        #expect(error?.posixErrorCode == ENOENT)
        #expect(error?.description.contains("No such file or directory") == true, "\(String(describing: error))")
    }

    @Test("An existing output or leftover partial file is never overwritten")
    func existingFiles() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("taken.ogg")
        #expect(FileManager.default.createFile(atPath: MediaFileWriter.temporaryPath(for: path), contents: Data([1])))
        let error = #expect(throws: MediaWriterError.self) {
            try MediaFileWriter(path: path, container: .ogg, tracks: [.audio(.opus)])
        }
        #expect(error?.reason == .fileExists(scratch.file(".taken.ogg.partial")))
    }

    @Test("Writing after finish, or to an undeclared track, is an error")
    func misuse() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let writer = try MediaFileWriter(path: scratch.file("a.ogg"), container: .ogg, tracks: [.audio(.opus)])
        let frame = fixtures.opus.frames[0]
        #expect(throws: MediaWriterError(operation: "write", path: writer.path, reason: .unknownTrack(1))) {
            try writer.write(track: 1, data: frame.data, pts: 0, isKeyframe: true)
        }
        try writer.write(track: 0, data: frame.data, pts: 0, isKeyframe: true)
        try writer.finish()
        let error = #expect(throws: MediaWriterError.self) {
            try writer.write(track: 0, data: frame.data, pts: 960, isKeyframe: true)
        }
        #expect(error?.reason == .finished)
    }
}
