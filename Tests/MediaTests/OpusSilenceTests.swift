import Foundation
import Media
import MediaTestSupport
import Testing

@Suite("Opus silence packets")
struct OpusSilenceTests {
    @Test("OpusSilence.packet decodes to 20 ms of zeros in a stereo track, after sound, where it is placed")
    func decodesToSilence() throws {
        let tone = try ToneAudioEncoder(configuration: .init(channels: 2))
        let scratch = try ScratchDirectory()
        let path = scratch.file("tone-then-silence.ogg")
        let writer = try MediaFileWriter(path: path, container: .ogg, tracks: [.audio(.opus, channels: 2)])
        for index in 0..<25 {  // half a second of tone
            try writer.write(track: 0, data: try tone.encodeNextFrame().data, pts: Int64(index) * 960, isKeyframe: true)
        }
        for index in 25..<50 {  // half a second of silence
            try writer.write(track: 0, data: OpusSilence.packet, pts: Int64(index) * OpusSilence.samples, isKeyframe: true)
        }
        try writer.finish()

        #expect(try Probe.decodeErrors(path) == "")
        let sound = try DecodedAudio(path)
        #expect(sound.samples.count == 50 * 960)
        #expect(sound.rms(0.1, 0.45) > 0.05, "the tone")
        // The decoder's overlap carries the tone a few milliseconds into the first silent packet,
        // and its de-emphasis filter leaves a tail far below anything audible (-120 dB).
        #expect(sound.rms(0.51, 1.0) < 1e-6, "silence")
    }
}
