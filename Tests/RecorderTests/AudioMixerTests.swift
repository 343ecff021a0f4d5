@testable import Recorder
import Testing

/// The room's mixer, sans-IO: samples in at positions, frames out as the clock passes.
@Suite("Audio mixer")
struct AudioMixerTests {
    static let frame = AudioMixer.frameSamples

    /// `count` sample frames of the constant `value` on both channels.
    private func add(_ mixer: inout AudioMixer, _ input: Int, value: Float, at start: Int, count: Int = AudioMixerTests.frame) {
        let samples = [Float](repeating: value, count: count * AudioMixer.channels)
        samples.withUnsafeBufferPointer { mixer.add(input, samples: $0, at: Int64(start)) }
    }

    /// The left channel of every frame mixed by `now` (a frame's first sample stands for it).
    private func mix(_ mixer: inout AudioMixer, now: Int) -> [(position: Int64, value: Float)] {
        var frames: [(Int64, Float)] = []
        mixer.mix(now: Int64(now)) { samples, position in
            #expect(samples.count == Self.frame * AudioMixer.channels)
            #expect(Set(samples) .count == 1, "a frame's samples differ: \(Set(samples))")
            frames.append((position, samples[0]))
        }
        return frames
    }

    @Test("Inputs are summed where they are placed, and nothing is mixed before the latency has passed")
    func sums() {
        var mixer = AudioMixer(latency: Int64(2 * Self.frame), horizon: 48_000)
        add(&mixer, 1, value: 0.25, at: 0, count: 3 * Self.frame)
        add(&mixer, 2, value: 0.5, at: Self.frame, count: Self.frame)
        #expect(mix(&mixer, now: 2 * Self.frame).isEmpty)
        let frames = mix(&mixer, now: 5 * Self.frame)
        #expect(frames.map(\.position) == [0, 960, 1_920])
        #expect(frames.map(\.value) == [0.25, 0.75, 0.25])
        #expect(mixer.statistics.inputsHeard == 2 && mixer.statistics.framesMixed == 3)
    }

    @Test("Someone who joins late or leaves early is silence outside their presence")
    func presence() {
        var mixer = AudioMixer(latency: 0, horizon: 48_000)
        add(&mixer, 1, value: 0.25, at: 0, count: 6 * Self.frame)  // there all along
        add(&mixer, 2, value: 0.5, at: 2 * Self.frame, count: 2 * Self.frame)  // joins at frame 2, leaves after frame 3
        mixer.end(2)
        #expect(mix(&mixer, now: 6 * Self.frame).map(\.value) == [0.25, 0.25, 0.75, 0.75, 0.25, 0.25])
        #expect(mixer.inputCount == 1, "an ended input goes once its samples are mixed")
        // After everyone: silence, as long as the clock runs.
        #expect(mix(&mixer, now: 8 * Self.frame).map(\.value) == [0, 0])
    }

    @Test("A stalled input stalls nothing: it is silence until it is on time again, and what came late is counted")
    func stall() {
        var mixer = AudioMixer(latency: Int64(Self.frame), horizon: 48_000)
        // Input 1 flows; input 2 sends frame 0, then stalls for frames 1-4.
        add(&mixer, 2, value: 0.5, at: 0)
        for index in 0..<10 { add(&mixer, 1, value: 0.25, at: index * Self.frame) }
        let during = mix(&mixer, now: 6 * Self.frame)
        #expect(during.map(\.value) == [0.75, 0.25, 0.25, 0.25, 0.25], "the mix went on without the stalled input")
        // It catches up in a burst: frames 1-4 are past, frame 5 onwards in place.
        for index in 1..<8 { add(&mixer, 2, value: 0.5, at: index * Self.frame) }
        #expect(mixer.statistics.lateSamples == Int64(4 * Self.frame))
        #expect(mix(&mixer, now: 9 * Self.frame).map(\.value) == [0.75, 0.75, 0.75])
        // Part of a packet late: only its late part is dropped.
        add(&mixer, 1, value: 0.25, at: 8 * Self.frame - 10)
        #expect(mixer.statistics.lateSamples == Int64(4 * Self.frame + 10))
    }

    @Test("At the end, what is held is mixed whatever the latency; samples beyond the horizon are dropped")
    func drainAndHorizon() {
        var mixer = AudioMixer(latency: 48_000, horizon: 48_000 + Int64(4 * Self.frame))
        add(&mixer, 1, value: 0.25, at: 0, count: 2 * Self.frame)
        add(&mixer, 2, value: 0.5, at: 48_000 + 4 * Self.frame)  // past the horizon: dropped
        #expect(mixer.statistics.samplesBeyondHorizon == Int64(Self.frame))
        var values: [Float] = []
        mixer.drain(to: Int64(3 * Self.frame - 1)) { samples, _ in values.append(samples[0]) }
        #expect(values == [0.25, 0.25, 0])
        #expect(mixer.position == Int64(3 * Self.frame))
    }

    @Test("A sum past full scale is turned down, not clipped: at once within its first frame, then back to unity")
    func limiting() {
        var mixer = AudioMixer(latency: 0, horizon: 480_000)
        // Two people at 0.75 each for a second (1.5 summed), then one of them alone for two.
        add(&mixer, 1, value: 0.75, at: 0, count: 150 * Self.frame)
        add(&mixer, 2, value: 0.75, at: 0, count: 50 * Self.frame)
        var frames: [[Float]] = []
        mixer.mix(now: Int64(150 * Self.frame)) { samples, _ in frames.append(Array(samples)) }
        #expect(frames.count == 150)
        let ceiling = MixLimiter().ceiling
        #expect(frames.allSatisfy { $0.allSatisfy { abs($0) <= 1 } })
        // Only the first frame's first milliseconds, while the gain comes down, reach full scale.
        #expect(mixer.statistics.clippedSamples > 0 && mixer.statistics.clippedSamples < Int64(MixLimiter().attackFrames * 2))
        #expect(frames[1...49].allSatisfy { $0.allSatisfy { abs($0 - ceiling) < 0.001 } }, "held just under full scale")
        // Alone again: the gain comes back smoothly (never a jump up), to unity within a second.
        let firstAlone = frames[50].first!, secondAlone = frames[60].first!
        #expect(firstAlone < 0.75 && firstAlone < secondAlone)
        #expect(frames[100...].allSatisfy { $0.allSatisfy { abs($0 - 0.75) < 0.001 } })
        let steps = frames[50...].flatMap { $0 }
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $1 - $0 < 0.01 }, "no audible step")
        #expect(mixer.statistics.framesLimited >= 50 && mixer.statistics.framesLimited < 100)
    }

    @Test("A sudden shout is caught within 5 ms: nothing after that passes the ceiling")
    func attack() {
        var limiter = MixLimiter()
        var quiet = [Float](repeating: 0.25, count: Self.frame * 2)
        limiter.apply(&quiet, channels: 2, sampleRate: 48_000)
        #expect(quiet.allSatisfy { $0 == 0.25 } && limiter.gain == 1)
        var shout = [Float](repeating: -3, count: Self.frame * 2)
        limiter.apply(&shout, channels: 2, sampleRate: 48_000)
        #expect(shout[(limiter.attackFrames * 2)...].allSatisfy { abs($0 + limiter.ceiling) < 0.0001 })
        #expect(limiter.clippedSamples < Int64(limiter.attackFrames * 2) && limiter.framesLimited == 1)
    }
}
