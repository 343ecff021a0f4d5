import Foundation

/// The test signal's sound as 16-bit PCM: a sine (440 Hz unless told another), or the flash-beep
/// pattern's 1 kHz beep in the first 100 ms of every second (silence otherwise). Each sample is
/// computed from its index since the start, so the phase never drifts however long it runs.
public struct ToneGenerator: Sendable {
    public static let toneFrequency = 440
    /// Whole hertz, within what 48 kHz Opus carries well.
    public static let toneFrequencies = 20...16_000
    static let beepFrequency = 1_000
    /// About -12 dBFS: loud enough to hear and to measure, far from clipping.
    static let amplitude = 0.25

    let pattern: TestSignalPattern
    let sampleRate: Int
    let channels: Int
    /// The `moving` pattern's tone, whole hertz.
    var toneFrequency = ToneGenerator.toneFrequency

    /// Writes `count` frames (one sample per channel each) starting at sample `start`,
    /// interleaved, into `samples`, replacing what it held.
    func render(startingAt start: Int64, count: Int, into samples: inout [Int16]) {
        samples.removeAll(keepingCapacity: true)
        let rate = Int64(sampleRate)
        let frequency = pattern == .moving ? toneFrequency : Self.beepFrequency
        for index in start ..< start + Int64(count) {
            var value: Int16 = 0
            if pattern == .moving || TestSignalPattern.isMarked(ticks: index, rate: rate) {
                // Whole cycles fit in a second for whole frequencies: reduce modulo one second to
                // keep the argument small and exact.
                let position = Double(((index % rate) + rate) % rate) / Double(rate)
                value = Int16((sin(2 * Double.pi * Double(frequency) * position) * Self.amplitude * 32_767).rounded())
            }
            for _ in 0 ..< channels { samples.append(value) }
        }
    }
}
