import Foundation
import Media
import MediaTestSupport
import Testing

/// Opus from a sender, as AAC in fragmented MP4: the sound, and its place in time.
@Suite("AudioTranscoder: Opus to AAC")
struct AudioTranscoderTests {
    @Test("A 440 Hz tone stays a 440 Hz tone, as long as it was")
    func transcodesToAAC() throws {
        let fixtures = try MediaFixtures.shared()
        let scratch = try ScratchDirectory()
        let path = scratch.file("tone.mp4")
        let transcoder = try AudioTranscoder(channels: 2)
        #expect(transcoder.track.codec == .aac && transcoder.track.sampleRate == 48_000 && transcoder.track.channels == 2)
        // AudioSpecificConfig: object type 2 (AAC-LC), frequency index 3 (48 kHz), 2 channels.
        #expect(transcoder.track.extradata?.prefix(2) == [0x11, 0x90])
        let frames = try Transcoding.audio(fixtures.opus, transcoder)
        // Contiguous 1024-sample frames from 0 (the priming frame) to the end of the input.
        #expect(frames.first?.pts == 0)
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $1.pts - $0.pts == 1_024 })
        let end = (frames.last?.pts ?? 0) + (frames.last?.duration ?? 0)
        #expect(end == Self.end(of: fixtures.opus), "the AAC frames end at \(end)")
        #expect(transcoder.statistics.gapsFilled == 0 && transcoder.statistics.packetsUndecodable == 0)

        try Transcoding.writeMP4(path, track: transcoder.track, frames: frames)
        let probe = try Probe(path)
        let audio = try #require(probe.stream("audio"))
        #expect(audio.codec_name == "aac" && audio.sample_rate == "48000" && audio.channels == 2)
        #expect(abs(probe.durationSeconds - 10) < 0.05, "duration \(probe.durationSeconds)")
        #expect(try Probe.decodeErrors(path) == "")
        let sound = try DecodedAudio(path)
        #expect(abs(Double(sound.samples.count) / DecodedAudio.rate - 10) < 0.05)
        #expect(abs(sound.peakFrequency(2, 3) - 440) <= 2, "peak at \(sound.peakFrequency(2, 3)) Hz")
        #expect(abs(sound.peakFrequency(8, 9) - 440) <= 2)
        // The stream's first 1024 samples gave way to the encoder's priming frame (see
        // AudioTranscoder): the tone is heard from 21 ms on, and everything after is in place.
        let onset = try #require(sound.onset(after: 0))
        #expect(onset > 0.015 && onset < 0.03, "the tone starts at \(onset) s")
        // ffmpeg's sine source: amplitude 1/8, so an RMS of 0.088.
        #expect(abs(sound.rms(1, 9) - 0.125 / 2.squareRoot()) < 0.01, "rms \(sound.rms(1, 9))")
    }

    @Test("A 2 s hole in the Opus timestamps becomes 2 s of silence; the track keeps the timeline's length")
    func holeIsFilledWithSilence() throws {
        let fixtures = try MediaFixtures.shared()
        var opus = fixtures.opus
        opus.frames.removeAll { (3.0..<5.0).contains(fixtures.opus.seconds($0)) }
        let scratch = try ScratchDirectory()
        let path = scratch.file("hole.mp4")
        let transcoder = try AudioTranscoder(channels: 2)
        let frames = try Transcoding.audio(opus, transcoder)
        #expect(transcoder.statistics.gapsFilled == 1)
        #expect(transcoder.statistics.silenceSamplesInserted == 96_000)
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $1.pts - $0.pts == 1_024 }, "no hole in the AAC track")
        try Transcoding.writeMP4(path, track: transcoder.track, frames: frames)

        #expect(abs(try Probe(path).durationSeconds - 10) < 0.05)
        #expect(try Probe.decodeErrors(path) == "")
        let sound = try DecodedAudio(path)
        #expect(abs(Double(sound.samples.count) / DecodedAudio.rate - 10) < 0.05)
        #expect(sound.rms(3.03, 4.97) < 1e-4, "rms in the hole \(sound.rms(3.03, 4.97))")
        #expect(sound.rms(2.5, 2.97) > 0.08 && sound.rms(5.03, 5.5) > 0.08)
        #expect(abs(sound.peakFrequency(6, 7) - 440) <= 2)
        // The tone comes back at 5 s: nothing was squeezed out, and the AAC encoder's delay
        // (1024 samples, 21 ms) is not added to the audio.
        let onset = try #require(sound.onset(after: 4))
        #expect(abs(onset - 5) < 0.003, "the tone resumes at \(onset) s")
    }

    @Test("A minute's silence (a muted microphone) costs copies of a silent frame, and still decodes to silence")
    func longSilenceIsCopied() throws {
        let fixtures = try MediaFixtures.shared()
        // 3 s of tone, nothing for 60 s, then the tone again from 63 s to 66 s.
        var opus = fixtures.opus.prefix(seconds: 3)
        opus.frames += fixtures.opus.prefix(seconds: 3).retimed(to: .samples(48_000), start: 63 * 48_000).frames
        let scratch = try ScratchDirectory()
        let path = scratch.file("muted.mp4")
        let transcoder = try AudioTranscoder(channels: 2)
        let frames = try Transcoding.audio(opus, transcoder)
        #expect(transcoder.statistics.silenceSamplesInserted == 60 * 48_000)
        #expect(transcoder.statistics.silentFramesRepeated > 2_800)
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $1.pts - $0.pts == 1_024 })
        try Transcoding.writeMP4(path, track: transcoder.track, frames: frames)

        #expect(abs(try Probe(path).durationSeconds - 66) < 0.05)
        #expect(try Probe.decodeErrors(path) == "")
        let sound = try DecodedAudio(path)
        #expect(sound.rms(3.03, 62.97) < 1e-4, "rms in the silence \(sound.rms(3.03, 62.97))")
        let onset = try #require(sound.onset(after: 62))
        #expect(abs(onset - 63) < 0.003, "the tone resumes at \(onset) s")
        #expect(abs(sound.peakFrequency(64, 65) - 440) <= 2)
    }

    @Test("A gap longer than maximumSilenceFill stays a hole, at its place in time")
    func longGapStaysAHole() throws {
        let fixtures = try MediaFixtures.shared()
        var opus = fixtures.opus
        opus.frames.removeAll { (3.0..<5.0).contains(fixtures.opus.seconds($0)) }
        let transcoder = try AudioTranscoder(channels: 2, settings: .init(maximumSilenceFill: .seconds(1)))
        let frames = try Transcoding.audio(opus, transcoder)
        #expect(transcoder.statistics.holesKept == 1 && transcoder.statistics.gapsFilled == 0)
        let resumed = try #require(frames.first { $0.pts > 3 * 48_000 })
        #expect(resumed.pts == 5 * 48_000)
        let scratch = try ScratchDirectory()
        let path = scratch.file("hole.mp4")
        try Transcoding.writeMP4(path, track: transcoder.track, frames: frames)
        #expect(try Probe.decodeErrors(path) == "")
        let times = try Probe.packetTimes(path, stream: "a")
        #expect(!times.contains { $0 > 3.03 && $0 < 4.99 })
        #expect(abs((times.last ?? 0) - 9.99) < 0.03)
    }

    @Test("Undecodable, repeated and overlapping packets: skipped or trimmed, and the timeline holds")
    func badPackets() throws {
        let fixtures = try MediaFixtures.shared()
        let transcoder = try AudioTranscoder(channels: 2)
        var output: [TranscodedFrame] = []
        for (index, frame) in fixtures.opus.frames.enumerated() {
            switch index {
            case 100:
                // Code 3 with no frames in it (RFC 6716 §3.2.5 forbids M = 0).
                output += try transcoder.transcode([0xFF, 0x00], pts: frame.pts)
            case 200:
                output += try transcoder.transcode(frame.data, pts: frame.pts)
                output += try transcoder.transcode(frame.data, pts: frame.pts)  // a duplicate
            case 300:
                output += try transcoder.transcode(frame.data, pts: frame.pts - 480)  // half over the previous one
            default:
                output += try transcoder.transcode(frame.data, pts: frame.pts)
            }
        }
        output += try transcoder.flush()
        #expect(transcoder.statistics.packetsUndecodable == 1)
        #expect(transcoder.statistics.packetsDroppedLate == 1)
        #expect(transcoder.statistics.gapsFilled == 2)  // the undecodable packet's 20 ms, and the 10 ms before 301
        #expect(zip(output, output.dropFirst()).allSatisfy { $1.pts - $0.pts == 1_024 })
        #expect((output.last?.pts ?? 0) + (output.last?.duration ?? 0) == Self.end(of: fixtures.opus))
    }

    @Test("Mono in, mono out; more channels or a bad bitrate are refused")
    func channels() throws {
        let fixtures = try MediaFixtures.shared()
        let transcoder = try AudioTranscoder(channels: 1)
        #expect(transcoder.track.channels == 1)
        let scratch = try ScratchDirectory()
        let path = scratch.file("mono.mp4")
        try Transcoding.writeMP4(path, track: transcoder.track, frames: Transcoding.audio(fixtures.opus.prefix(seconds: 2), transcoder))
        #expect(try Probe(path).stream("audio")?.channels == 1)
        #expect(try Probe.decodeErrors(path) == "")
        let error = #expect(throws: TranscoderError.self) { try AudioTranscoder(channels: 6) }
        #expect(error?.description.contains("mono and stereo") == true)
        #expect(throws: TranscoderError.self) { try AudioTranscoder(settings: .init(bitrateKbpsPerChannel: 1_000)) }
    }

    /// Where the last packet of `opus` ends (ffmpeg's 10 s of Opus carry 312 samples of
    /// encoder priming more, so 501 packets of 20 ms).
    private static func end(of opus: EncodedStream) -> Int64 {
        (opus.frames.last?.pts ?? 0) + Int64(opus.frames.last.map { _ in 960 } ?? 0)
    }
}
