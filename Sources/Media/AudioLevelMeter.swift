import Foundation

/// The level of a block of 16-bit PCM as RFC 6464 §4 defines it, for senders that put it in the
/// audio-level header extension: the RMS of the samples against full scale, in whole decibels
/// below it (-dBov), 0…127, with 127 for digital silence and anything quieter.
public enum AudioLevelMeter {
    public static let silence: UInt8 = 127

    public static func level(of samples: some Collection<Int16>) -> UInt8 {
        guard !samples.isEmpty else { return silence }
        var sumOfSquares = 0.0
        for sample in samples { sumOfSquares += Double(sample) * Double(sample) }
        let rms = (sumOfSquares / Double(samples.count)).squareRoot() / 32_768
        guard rms > 0 else { return silence }
        return UInt8(max(0, min(Double(silence), (-20 * log10(rms)).rounded())))
    }
}
