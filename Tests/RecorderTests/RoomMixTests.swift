import Foundation
import Media
import MediaTestSupport
@testable import Recorder
import Testing

/// The room's mix through real codecs and files: participants' Opus in, one Ogg Opus or M4A
/// out, judged by what ffmpeg decodes from it.
@Suite("Room mix")
struct RoomMixTests {
    /// The recorder's wall clock at the mix's time zero, as a recording's start would be.
    static let start = 1_000.0

    /// A sender's 20 ms Opus packets of a sine at `frequency`, `seconds` long.
    private func tone(_ frequency: Double, seconds: Double) throws -> [[UInt8]] {
        let encoder = try MixedAudioEncoder(codec: .opus, bitrateKbps: 64)
        let count = Int(seconds * 48_000)
        var samples = [Float](repeating: 0, count: count * 2)
        for index in 0..<count {
            let value = Float(0.2 * sin(2 * Double.pi * frequency * Double(index) / 48_000))
            samples[2 * index] = value
            samples[2 * index + 1] = value
        }
        return try samples.withUnsafeBufferPointer { try encoder.encode($0) }.map(\.data)
    }

    private struct Packet {
        var input: Int
        var bytes: [UInt8]
        /// Seconds on the mix's timeline where its audio belongs, and when it reaches the mix.
        var time: Double
        var arrival: Double
    }

    /// Feeds the packets in order of arrival, moving the clock on as a recording's media thread would.
    private func feed(_ packets: [Packet], to mix: RoomMix) {
        for packet in packets.sorted(by: { ($0.arrival, $0.time) < ($1.arrival, $1.time) }) {
            packet.bytes.withUnsafeBytes { mix.receive(packet.input, opus: $0, at: Self.start + packet.time) }
            mix.advance(to: Self.start + packet.arrival)
        }
    }

    private func packets(_ input: Int, _ packets: [[UInt8]], from start: Double,
                         arrival: (Double) -> Double = { $0 + 0.03 }) -> [Packet] {
        packets.enumerated().map { index, bytes in
            let time = start + Double(index) * 0.02
            return Packet(input: input, bytes: bytes, time: time, arrival: arrival(time))
        }
    }

    private func makeMix(_ directory: ScratchDirectory, container: MediaContainer = .ogg, codec: MediaCodec = .opus,
                         name: String = "mix.ogg", gate: RecordingWriteGate = RecordingWriteGate()) -> RoomMix {
        RoomMix(start: Self.start, output: .init(directory: directory.path, container: container, codec: codec) { _ in name },
                settings: .init(latency: .milliseconds(300)), gate: gate)
    }

    @Test("Two participants, one joining late and one leaving early: each tone where they were, silence elsewhere, the file as long as the recording",
          arguments: [(MediaContainer.ogg, MediaCodec.opus, "mix.ogg"), (.mp4, .aac, "mix.m4a")])
    func twoParticipants(container: MediaContainer, codec: MediaCodec, name: String) throws {
        let scratch = try ScratchDirectory()
        let mix = makeMix(scratch, container: container, codec: codec, name: name)
        let alice = mix.addInput(), bob = mix.addInput()
        // Alice (440 Hz) from 0.5 s to 2 s; Bob (1 kHz) from 1 s to 3 s; the recording ends at 3.5 s.
        feed(packets(alice, try tone(440, seconds: 1.5), from: 0.5) + packets(bob, try tone(1_000, seconds: 2), from: 1), to: mix)
        mix.endInput(alice)
        mix.endInput(bob)
        mix.finish(at: Self.start + 3.5)

        let report = mix.report
        #expect(report.file?.complete == true && report.file?.path == name && report.file?.error == nil)
        #expect(report.participantTracksHeard == 2 && report.lateSeconds == 0 && report.packetsUndecodable == 0)
        let path = scratch.file(name)
        #expect(try ExternalTool.decodeErrors(path).isEmpty)
        let duration = try Double(ExternalTool.standardOutput("ffprobe", ["-v", "error", "-show_entries", "format=duration",
                                                                            "-of", "csv=p=0", path]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(abs(duration - 3.5) < 0.05, "the mix lasts \(duration) s, the recording 3.5 s")

        let sound = try DecodedAudio(path)
        #expect(sound.rms(0.05, 0.45) < 0.001, "silence before anyone")
        #expect(sound.has(440, in: 0.6, 0.95) && !sound.has(1_000, in: 0.6, 0.95), "Alice alone")
        #expect(sound.has(440, in: 1.1, 1.9) && sound.has(1_000, in: 1.1, 1.9), "both")
        #expect(!sound.has(440, in: 2.1, 2.9) && sound.has(1_000, in: 2.1, 2.9), "Bob alone after Alice left")
        #expect(sound.rms(3.1, 3.45) < 0.001, "silence after everyone")
        // Each is where it was placed: the onsets within a packet and the codec's delay.
        #expect(abs((sound.onset(after: 0.1) ?? 0) - 0.5) < 0.03)
    }

    @Test("A participant whose frames stall is silence while stalled; the mix goes on, and they are in place again after")
    func stalledParticipant() throws {
        let scratch = try ScratchDirectory()
        let mix = makeMix(scratch)
        let alice = mix.addInput(), bob = mix.addInput()
        // Bob's audio from 1.5 s to 2.5 s reaches the mix only at 3 s, all at once: past its time.
        let bobs = packets(bob, try tone(1_000, seconds: 3), from: 0.5) { time in
            (1.5..<2.5).contains(time) ? 3 : time + 0.03
        }
        feed(packets(alice, try tone(440, seconds: 3), from: 0.5) + bobs, to: mix)
        mix.endInput(alice)
        mix.endInput(bob)
        mix.finish(at: Self.start + 4)

        let report = mix.report
        #expect(report.file?.complete == true)
        #expect(abs(report.lateSeconds - 1) < 0.05, "\(report.lateSeconds) s of Bob's audio came too late for the mix")
        let sound = try DecodedAudio(scratch.file("mix.ogg"))
        #expect(sound.has(440, in: 0.6, 3.4), "Alice throughout")
        #expect(sound.has(1_000, in: 0.6, 1.45) && !sound.has(1_000, in: 1.6, 2.4) && sound.has(1_000, in: 2.6, 3.4))
    }

    @Test("A shut write gate leaves the mix under its temporary name, as it was")
    func gateShut() throws {
        let scratch = try ScratchDirectory()
        let gate = RecordingWriteGate()
        let mix = makeMix(scratch, gate: gate)
        let alice = mix.addInput()
        feed(packets(alice, try tone(440, seconds: 1), from: 0.1), to: mix)
        gate.close()
        mix.advance(to: Self.start + 5)
        mix.finish(at: Self.start + 5)
        let report = mix.report
        #expect(report.file?.complete == false && report.file?.temporaryPath == ".mix.ogg.partial")
        #expect(FileManager.default.fileExists(atPath: scratch.file(".mix.ogg.partial")))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("mix.ogg")))
    }
}
