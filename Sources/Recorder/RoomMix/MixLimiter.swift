/// Keeps the room's mix under full scale when people talk over each other, by turning the mix
/// down rather than clipping it: a frame whose sum would pass `ceiling` gets the gain that fits
/// its own peak (known before the frame is written: the mixer works a frame at a time), reached
/// within the frame's first `attackFrames` sample frames; then the gain returns to unity with a
/// time constant of `releaseSeconds` (back within a second), a frame at a time, so the level does
/// not pump on every syllable. What still passes full scale during an attack is clipped and
/// counted, as a safety net.
struct MixLimiter {
    /// About -0.2 dBFS: headroom for the encoder's own overshoot.
    let ceiling: Float = 0.977
    /// 5 ms: short enough that a sudden shout is caught almost at once, long enough not to click.
    let attackFrames = 240
    let releaseSeconds = 0.15
    private(set) var gain: Float = 1
    /// Frames whose gain was below unity.
    private(set) var framesLimited = 0
    /// Samples (per channel) still past full scale, clipped.
    private(set) var clippedSamples: Int64 = 0

    /// Applies the gain to one frame of interleaved samples (`channels` per sample frame).
    mutating func apply(_ samples: inout [Float], channels: Int, sampleRate: Int) {
        let frameCount = samples.count / channels
        guard frameCount > 0 else { return }
        var peak: Float = 0
        for sample in samples { peak = max(peak, abs(sample)) }
        // Back toward unity by the share of the release time this frame lasts.
        let share = Float(min(1, Double(frameCount) / Double(sampleRate) / releaseSeconds))
        var released = gain + (1 - gain) * share
        if released > 0.999 { released = 1 }  // within 0.01 dB: unity, not forever nearly there
        let target = peak * released > ceiling ? ceiling / peak : released
        let ramp = target < gain ? min(attackFrames, frameCount) : frameCount
        let start = gain
        samples.withUnsafeMutableBufferPointer { buffer in
            for frame in 0..<frameCount {
                let applied = frame < ramp ? start + (target - start) * Float(frame + 1) / Float(ramp) : target
                for channel in 0..<channels {
                    let index = frame * channels + channel
                    var value = buffer[index] * applied
                    if abs(value) > 1 {
                        value = value > 0 ? 1 : -1
                        clippedSamples += 1
                    }
                    buffer[index] = value
                }
            }
        }
        gain = target
        if gain < 1 { framesLimited += 1 }
    }
}
