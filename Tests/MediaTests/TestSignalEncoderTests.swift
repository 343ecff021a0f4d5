import Foundation
import Media
import Testing

/// The synthetic publisher's encoders, judged by what ffprobe and ffmpeg make of their output
/// written to WebM: the codec, size and frame count declared, pictures that move as drawn, a
/// tone at its frequency, and the flash-beep pattern's flashes and beeps at the same instants.
@Suite("Test-signal encoders (libvpx VP8, libopus)")
struct TestSignalEncoderTests {
    @Test("VP8: 60 frames of the moving pattern, a keyframe on demand, the bar where it was drawn")
    func movingPatternVideo() throws {
        let configuration = TestPatternVideoEncoder.Configuration(width: 320, height: 240, framesPerSecond: 30, bitrateKbps: 300,
                                                                  keyframeInterval: 1)
        let encoder = try TestPatternVideoEncoder(configuration: configuration)
        var frames: [EncodedFrame] = []
        for index in 0 ..< 60 { frames.append(try encoder.encodeNextFrame(forceKeyframe: index == 45)) }
        #expect(frames.map(\.timestamp) == (0 ..< 60).map { Int64($0 * 3_000) })
        let keyframes = frames.indices.filter { frames[$0].isKeyframe }
        #expect(keyframes == [0, 30, 45], "the first frame, one a second, and the one asked for")
        #expect(encoder.framesEncoded == 60 && encoder.keyframesEncoded == 3)
        // Around the 300 kbit/s asked for (keyframes cost more at the start of a CBR stream).
        let kilobits = Double(frames.reduce(0) { $0 + $1.data.count } * 8) / 1_000 / 2
        #expect((100 ... 600).contains(kilobits), "\(kilobits) kbit/s")

        let scratch = try ScratchDirectory()
        let path = scratch.file("pattern.webm")
        let writer = try MediaFileWriter(path: path, container: .webm, tracks: [.video(.vp8, width: 320, height: 240)])
        for frame in frames { try writer.write(track: 0, data: frame.data, pts: frame.timestamp, isKeyframe: frame.isKeyframe) }
        try writer.finish()

        let probe = try Probe(path)
        let stream = try #require(probe.stream("video"))
        #expect(stream.codec_name == "vp8")
        #expect(stream.width == 320 && stream.height == 240)
        #expect(stream.packets == 60)
        #expect(try Probe.decodedFrames(path, stream: "v") == 60)
        #expect(try Probe.decodeErrors(path) == "")

        // The white bar sweeps across in two seconds: find it in the colour bars (no other
        // column there is near white) and compare with where it was drawn.
        let pictures = try DecodedMedia.lumaPictures(path, width: 320, height: 240)
        #expect(pictures.count == 60)
        for index in [5, 20, 40, 55] {
            let means = (0 ..< 320).map { Self.columnMean(pictures[index], column: $0, rows: 100 ..< 150) }
            let brightest = try #require(means.indices.max { means[$0] < means[$1] })
            let barWidth = 320 / 40
            let drawnAt = (index % 60) * (320 - barWidth) / 59
            #expect((drawnAt - 2 ... drawnAt + barWidth + 2).contains(brightest), "frame \(index): bar at \(brightest), drawn at \(drawnAt)")
        }
        #expect(pictures[0] != pictures[1], "every frame differs (the counter at least)")
    }

    @Test("Opus: 2 s of a 440 Hz tone, 20 ms packets")
    func toneAudio() throws {
        let encoder = try ToneAudioEncoder(configuration: .init(channels: 2, bitrateKbps: 32))
        var frames: [EncodedFrame] = []
        for _ in 0 ..< 100 { frames.append(try encoder.encodeNextFrame()) }
        #expect(encoder.preSkip > 0 && encoder.preSkip < 960)
        #expect(frames.map(\.timestamp) == (0 ..< 100).map { Int64($0 * 960 - encoder.preSkip) })

        let path = try Self.writeAudio(frames, preSkip: encoder.preSkip)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let probe = try Probe(path)
        let stream = try #require(probe.stream("audio"))
        #expect(stream.codec_name == "opus")
        #expect(stream.sample_rate == "48000" && stream.channels == 2)
        #expect(stream.packets == 100)
        #expect(try Probe.decodeErrors(path) == "")

        let samples = try DecodedMedia.monoSamples(path)
        #expect(abs(samples.count - 96_000) < 1_000, "\(samples.count) samples")
        let steady = samples[24_000 ..< 72_000]
        let frequency = DecodedMedia.zeroCrossingFrequency(steady)
        #expect(abs(frequency - 440) < 1, "\(frequency) Hz")
        let peak = DecodedMedia.power(at: 440, in: steady)
        for other in [220.0, 400, 480, 880, 1_000] {
            #expect(peak > 100 * DecodedMedia.power(at: other, in: steady), "440 Hz stands out from \(other) Hz")
        }
        let level = DecodedMedia.rootMeanSquare(steady)
        #expect(abs(level - 0.25 / 2.0.squareRoot()) < 0.03, "RMS \(level)")
    }

    @Test("Each audio frame says its level (RFC 6464): the tone's RMS, 0.25/√2 of full scale, is 15 -dBov; silence is 127")
    func audioLevels() throws {
        let tone = try ToneAudioEncoder(configuration: .init())
        let toneLevels = try (0 ..< 10).map { _ in try tone.encodeNextFrame().audioLevel }
        #expect(toneLevels == Array(repeating: 15, count: 10))

        let silent = try ToneAudioEncoder(configuration: .init(sound: .silent))
        var silence: [EncodedFrame] = []
        for _ in 0 ..< 50 { silence.append(try silent.encodeNextFrame()) }
        #expect(silence.allSatisfy { $0.audioLevel == 127 })
        // Still real Opus, decoding to silence.
        let path = try Self.writeAudio(silence, preSkip: silent.preSkip)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Probe.decodeErrors(path) == "")
        let decoded = try DecodedMedia.monoSamples(path)
        #expect(DecodedMedia.rootMeanSquare(decoded[...]) < 0.001)

        let beeps = try ToneAudioEncoder(configuration: .init(pattern: .flashBeep))
        let beepLevels = try (0 ..< 50).map { _ in try beeps.encodeNextFrame().audioLevel }
        #expect(beepLevels.prefix(5) == [15, 15, 15, 15, 15] && beepLevels.dropFirst(5).allSatisfy { $0 == 127 }, "\(beepLevels)")
    }

    @Test("The level meter: full-scale square wave 0, half scale 6, one LSB of noise near the floor, nothing 127")
    func levelMeter() {
        #expect(AudioLevelMeter.level(of: [Int16](repeating: 32_767, count: 960)) == 0)
        #expect(AudioLevelMeter.level(of: (0 ..< 960).map { $0 % 2 == 0 ? Int16(16_384) : -16_384 }) == 6)
        #expect(AudioLevelMeter.level(of: (0 ..< 960).map { $0 % 2 == 0 ? Int16(1) : -1 }) == 90)
        #expect(AudioLevelMeter.level(of: [Int16](repeating: 0, count: 960)) == 127)
        #expect(AudioLevelMeter.level(of: [Int16]()) == 127)
    }

    @Test("flash-beep: the white frames and the 1 kHz beeps fall in the same 100 ms of each second")
    func flashBeep() throws {
        let video = try TestPatternVideoEncoder(configuration: .init(width: 160, height: 120, framesPerSecond: 30, bitrateKbps: 200,
                                                                     pattern: .flashBeep))
        var pictures: [EncodedFrame] = []
        for _ in 0 ..< 90 { pictures.append(try video.encodeNextFrame()) }
        let audio = try ToneAudioEncoder(configuration: .init(pattern: .flashBeep))
        var sounds: [EncodedFrame] = []
        for _ in 0 ..< 150 { sounds.append(try audio.encodeNextFrame()) }

        let scratch = try ScratchDirectory()
        let videoPath = scratch.file("flash.webm")
        let writer = try MediaFileWriter(path: videoPath, container: .webm, tracks: [.video(.vp8, width: 160, height: 120)])
        for frame in pictures { try writer.write(track: 0, data: frame.data, pts: frame.timestamp, isKeyframe: frame.isKeyframe) }
        try writer.finish()
        let luma = try DecodedMedia.lumaPictures(videoPath, width: 160, height: 120).map { picture in
            Double(picture.reduce(0) { $0 + Int($1) }) / Double(picture.count)
        }
        #expect(luma.count == 90)
        let flashes = luma.indices.filter { luma[$0] > 128 }
        #expect(flashes == [0, 1, 2, 30, 31, 32, 60, 61, 62], "three frames (100 ms) at the start of each second: \(luma)")

        let audioPath = try Self.writeAudio(sounds, preSkip: audio.preSkip)
        defer { try? FileManager.default.removeItem(atPath: audioPath) }
        let samples = try DecodedMedia.monoSamples(audioPath)
        for second in 0 ..< 3 {
            let start = second * 48_000
            let beep = samples[start + 240 ..< start + 4_560]
            #expect(abs(DecodedMedia.zeroCrossingFrequency(beep) - 1_000) < 2)
            #expect(DecodedMedia.rootMeanSquare(beep) > 0.1)
            #expect(DecodedMedia.rootMeanSquare(samples[start + 5_280 ..< start + 47_500]) < 0.01, "silence after the beep")
            // The beep starts within a millisecond of the second (the flash's first frame).
            let onset = try #require(samples[start ..< start + 4_800].firstIndex { abs($0) > 0.05 })
            #expect(onset - start < 48, "beep \(second) starts \(onset - start) samples late")
        }
    }

    @Test("settings a VP8 or Opus encoder cannot take are refused")
    func invalidSettings() {
        #expect(throws: MediaEncoderError.self) { try TestPatternVideoEncoder(configuration: .init(width: 641, height: 480)) }
        #expect(throws: MediaEncoderError.self) { try TestPatternVideoEncoder(configuration: .init(framesPerSecond: 0)) }
        #expect(throws: MediaEncoderError.self) { try ToneAudioEncoder(configuration: .init(channels: 3)) }
    }

    /// Writes Opus frames to a WebM file in the temporary directory: timestamps from the first
    /// packet's start, the encoder's lookahead as the pre-skip, so sample n plays at n / 48000 s.
    private static func writeAudio(_ frames: [EncodedFrame], preSkip: Int) throws -> String {
        let path = NSTemporaryDirectory() + "tapedeck-tone-\(UUID().uuidString).webm"
        let writer = try MediaFileWriter(path: path, container: .webm, tracks: [.audio(.opus, channels: 2, opusPreSkip: preSkip)])
        for frame in frames {
            try writer.write(track: 0, data: frame.data, pts: frame.timestamp + Int64(preSkip), isKeyframe: true)
        }
        try writer.finish()
        return path
    }

    private static func columnMean(_ picture: [UInt8], column: Int, rows: Range<Int>) -> Int {
        rows.reduce(0) { $0 + Int(picture[$1 * 320 + column]) } / rows.count
    }
}
