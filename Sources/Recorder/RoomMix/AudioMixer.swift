/// Sums the room's participants into one 48 kHz stereo stream, sans-IO: decoded samples go in
/// per input (a participant's audio track) at their place on the room's timeline, mixed 20 ms
/// frames come out once the clock says their time is past by `latency`.
///
/// The clock, not the inputs, decides when a frame is mixed: waiting for every input would let
/// one stalled participant (a frozen network, a sender that stopped without leaving) stall the
/// whole room. So whoever has no samples for a frame by then is silence in it, and samples that
/// arrive for time already mixed are dropped and counted (`Statistics.lateSamples`): a stalled
/// participant is silent while stalled and in place again as soon as their audio is on time.
/// Someone who joined late or left early is silence outside their presence, since only what
/// they sent is summed. Samples further ahead than `horizon` (a sender whose timestamps ran
/// away) are dropped too, so no input can make the mixer hold more than that.
///
/// Positions are sample frames (one sample per channel) since the room's time zero; each input
/// holds its samples from the next frame to mix on, so memory is bounded by `horizon` per input.
struct AudioMixer {
    static let sampleRate = 48_000
    static let channels = 2
    /// Samples per channel in a mixed frame: 20 ms, what the Opus encoder takes.
    static let frameSamples = 960

    struct Statistics: Sendable, Hashable {
        /// Frames mixed so far (each `frameSamples` long).
        var framesMixed = 0
        /// Sample frames that came after their time had been mixed (a stalled or late input).
        var lateSamples: Int64 = 0
        /// Sample frames beyond the horizon: dropped.
        var samplesBeyondHorizon: Int64 = 0
        /// Mixed frames turned down so their sum stays under full scale (`MixLimiter`).
        var framesLimited = 0
        /// Mixed samples (per channel) that went past full scale all the same (during a
        /// limiter's attack) and were clipped.
        var clippedSamples: Int64 = 0
        /// Inputs that ever gave samples.
        var inputsHeard = 0
    }

    private struct Input {
        /// Interleaved samples from `AudioMixer.position` on, `head` of them already consumed.
        var samples: [Float] = []
        var head = 0
        /// The input ended: it goes once its samples are mixed.
        var ended = false
        var heard = false

        /// Sample frames held, from the mixer's position on.
        var frames: Int { (samples.count - head) / AudioMixer.channels }

        /// Adds the next `width` samples (silence past what it holds) to `sum` and lets them go.
        mutating func consume(_ width: Int, adding sum: inout [Float]) {
            let available = min(width, samples.count - head)
            for index in 0..<max(0, available) { sum[index] += samples[head + index] }
            head += width
            if head >= samples.count {
                samples.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 48_000 * AudioMixer.channels {
                // Compact now and then, not every frame: a second's worth moved at once.
                samples.removeFirst(head)
                head = 0
            }
        }
    }

    /// How long after a frame's time it is mixed: what an input may lag (the jitter buffer,
    /// the participant's start-up hold) and still be in the mix.
    let latency: Int64
    /// How far ahead of the next frame to mix an input's samples may lie.
    let horizon: Int64
    /// The first sample frame of the next mixed frame.
    private(set) var position: Int64 = 0
    private(set) var statistics = Statistics()
    private var inputs: [Int: Input] = [:]
    private var mixed = [Float](repeating: 0, count: frameSamples * channels)
    private var limiter = MixLimiter()

    /// - Parameters: in sample frames; `horizon` at least `latency` and a frame.
    init(latency: Int64, horizon: Int64) {
        self.latency = max(0, latency)
        self.horizon = max(horizon, self.latency + Int64(Self.frameSamples))
    }

    /// Inputs still held (ended ones until their samples are mixed).
    var inputCount: Int { inputs.count }

    /// Places `samples` (interleaved stereo) of `input` from sample frame `at` on. Samples for
    /// time already mixed, or beyond the horizon, are dropped; where an input's samples overlap
    /// its own earlier ones, the later win (a track re-placed a little back).
    mutating func add(_ input: Int, samples: UnsafeBufferPointer<Float>, at start: Int64) {
        // Taken out of the dictionary while it changes, so its samples are not copied.
        var entry = inputs.removeValue(forKey: input) ?? Input()
        if !entry.heard {
            entry.heard = true
            statistics.inputsHeard += 1
        }
        let count = Int64(samples.count / Self.channels)
        let skipped = max(0, min(count, position - start))
        statistics.lateSamples += skipped
        let first = start + skipped
        let end = min(start + count, position + horizon)
        statistics.samplesBeyondHorizon += max(0, start + count - max(end, first))
        guard end > first else {
            inputs[input] = entry
            return
        }
        let offset = entry.head + Int(first - position) * Self.channels
        let needed = entry.head + Int(end - position) * Self.channels
        if entry.samples.count < needed { entry.samples.append(contentsOf: repeatElement(0, count: needed - entry.samples.count)) }
        let source = Int(skipped) * Self.channels
        let length = Int(end - first) * Self.channels
        entry.samples.withUnsafeMutableBufferPointer { target in
            for index in 0..<length { target[offset + index] = samples[source + index] }
        }
        inputs[input] = entry
    }

    /// The input will give no more samples (its participant left); what it gave is still mixed.
    mutating func end(_ input: Int) {
        inputs[input]?.ended = true
        if inputs[input]?.frames == 0 { inputs[input] = nil }
    }

    /// Mixes every frame whose time is at least `latency` before `now` (a sample frame position).
    mutating func mix(now: Int64, _ output: (UnsafeBufferPointer<Float>, Int64) -> Void) {
        while position + Int64(Self.frameSamples) + latency <= now { mixFrame(output) }
    }

    /// Mixes every frame that starts before `end`, whatever the latency: the recording is over.
    mutating func drain(to end: Int64, _ output: (UnsafeBufferPointer<Float>, Int64) -> Void) {
        while position < end { mixFrame(output) }
    }

    private mutating func mixFrame(_ output: (UnsafeBufferPointer<Float>, Int64) -> Void) {
        // The buffer is moved out and back, so the inputs can be mutated while it is summed into.
        var sum = mixed
        mixed = []
        for index in sum.indices { sum[index] = 0 }
        var anyEnded = false
        for key in Array(inputs.keys) {
            inputs[key]!.consume(sum.count, adding: &sum)
            anyEnded = anyEnded || inputs[key]!.ended
        }
        limiter.apply(&sum, channels: Self.channels, sampleRate: Self.sampleRate)
        statistics.clippedSamples = limiter.clippedSamples
        statistics.framesLimited = limiter.framesLimited
        if anyEnded { inputs = inputs.filter { !$0.value.ended || $0.value.frames > 0 } }
        sum.withUnsafeBufferPointer { output($0, position) }
        mixed = sum
        position += Int64(Self.frameSamples)
        statistics.framesMixed += 1
    }
}
