import Foundation
import MediaTestSupport

/// A file decoded by the real ffmpeg into raw samples or pictures, for tests that judge what an
/// encoder made by what a decoder plays.
enum DecodedMedia {
    /// The first channel of the first audio stream as 32-bit float samples at 48 kHz.
    static func monoSamples(_ path: String) throws -> [Float] {
        let raw = path + ".f32"
        defer { try? FileManager.default.removeItem(atPath: raw) }
        try ExternalTool.check("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", path, "-map", "0:a:0", "-af", "pan=mono|c0=FL",
                                          "-ar", "48000", "-f", "f32le", raw])
        let data = try Data(contentsOf: URL(fileURLWithPath: raw))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// Every picture of the first video stream, as its luma plane (width × height bytes each).
    static func lumaPictures(_ path: String, width: Int, height: Int) throws -> [[UInt8]] {
        let raw = path + ".gray"
        defer { try? FileManager.default.removeItem(atPath: raw) }
        try ExternalTool.check("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", path, "-map", "0:v:0", "-f", "rawvideo",
                                          "-pix_fmt", "gray", raw])
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        let size = width * height
        return stride(from: 0, to: data.count - size + 1, by: size).map { Array(data[$0 ..< $0 + size]) }
    }

    /// The frequency of a steady tone from its rising zero crossings, in Hz.
    static func zeroCrossingFrequency(_ samples: ArraySlice<Float>, sampleRate: Double = 48_000) -> Double {
        var crossings: [Int] = []
        var previous = samples.first ?? 0
        for (index, sample) in zip(samples.indices, samples) {
            if previous < 0, sample >= 0 { crossings.append(index) }
            previous = sample
        }
        guard let first = crossings.first, let last = crossings.last, crossings.count > 1 else { return 0 }
        return Double(crossings.count - 1) * sampleRate / Double(last - first)
    }

    /// The power of one frequency in the samples (Goertzel's single-bin DFT), normalised by length.
    static func power(at frequency: Double, in samples: ArraySlice<Float>, sampleRate: Double = 48_000) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
        var previous = 0.0, beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        return power / Double(samples.count * samples.count)
    }

    static func rootMeanSquare(_ samples: ArraySlice<Float>) -> Double {
        guard !samples.isEmpty else { return 0 }
        return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
    }
}
