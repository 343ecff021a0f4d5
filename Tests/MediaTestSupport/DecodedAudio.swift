import Foundation

/// Decoded sound, as ffmpeg decodes a file's first audio track: mono 48 kHz float samples, and
/// what they hold. Shared by the Media and Recorder tests (a participant's file, the room's mix).
public struct DecodedAudio {
    public static let rate = 48_000.0
    public let samples: [Float]

    public init(_ path: String) throws {
        let raw = path + ".f32"
        try ExternalTool.check("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", path, "-map", "a:0", "-ac", "1",
                                          "-ar", "48000", "-f", "f32le", raw])
        defer { try? FileManager.default.removeItem(atPath: raw) }
        let data = try Data(contentsOf: URL(fileURLWithPath: raw))
        samples = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    public func window(_ from: Double, _ to: Double) -> ArraySlice<Float> {
        let start = min(samples.count, Int(from * Self.rate))
        return samples[start..<min(samples.count, max(start, Int(to * Self.rate)))]
    }

    public func rms(_ from: Double, _ to: Double) -> Double {
        let slice = window(from, to)
        guard !slice.isEmpty else { return 0 }
        return (slice.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(slice.count)).squareRoot()
    }

    /// When the sound first reaches `threshold` after `seconds`.
    public func onset(after seconds: Double, threshold: Float = 0.02) -> Double? {
        let start = Int(seconds * Self.rate)
        guard start < samples.count else { return nil }
        return samples[start...].firstIndex { abs($0) >= threshold }.map { Double($0) / Self.rate }
    }

    /// The strongest frequency between 50 Hz and 4 kHz in [from, to): a coarse scan with the
    /// Goertzel filter on a tenth of a second, then 1 Hz steps around its best on the whole.
    public func peakFrequency(_ from: Double, _ to: Double) -> Double {
        let whole = window(from, to)
        let short = whole.prefix(Int(Self.rate / 10))
        let coarse = stride(from: 50.0, through: 4_000, by: 10).max { power($0, short) < power($1, short) } ?? 0
        return stride(from: coarse - 10, through: coarse + 10, by: 1).max { power($0, whole) < power($1, whole) } ?? 0
    }

    /// Whether `frequency` carries a tone of at least about 0.05 amplitude in [from, to).
    public func has(_ frequency: Double, in from: Double, _ to: Double) -> Bool {
        let slice = window(from, to)
        return 2 * power(frequency, slice).squareRoot() / Double(max(1, slice.count)) > 0.05
    }

    /// Goertzel: the power of `frequency`'s component in `samples`.
    private func power(_ frequency: Double, _ samples: ArraySlice<Float>) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / Self.rate)
        var previous = 0.0, beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
    }
}
