internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decoded samples (planar float) on their way to whole AAC frames: Opus packets are 10–60 ms,
/// AAC-LC frames 1024 samples, so an AVAudioFifo regroups them. The queue knows where its
/// samples sit on the timeline: samples offered for a time already covered are dropped, and
/// the caller fills any time before `endPTS` reaches the next packet's.
final class AudioSampleQueue {
    let channels: Int
    private var fifo: OpaquePointer?
    /// Zeroed planes, written in chunks for silence.
    private var silence: [UnsafeMutableRawPointer?]
    private static let silenceChunk = 4_096
    private static let bytesPerSample = MemoryLayout<Float>.size

    /// Timeline position (in samples) of the first queued sample.
    private(set) var startPTS: Int64

    init(channels: Int, startPTS: Int64) throws(TranscoderError) {
        guard let fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, Int32(channels), 4_096) else {
            throw TranscoderError(operation: "av_audio_fifo_alloc", code: -ENOMEM)
        }
        self.fifo = fifo
        self.channels = channels
        self.startPTS = startPTS
        silence = (0..<channels).map { _ in calloc(Self.silenceChunk, Self.bytesPerSample) }
    }

    /// Samples queued, per channel.
    var count: Int { Int(av_audio_fifo_size(fifo)) }

    /// Timeline position just after the last queued sample: where the next one belongs.
    var endPTS: Int64 { startPTS + Int64(count) }

    /// Queues `frame`'s samples, the first of which belongs at `pts` (not later than
    /// `endPTS`: fill the gap first); those before `endPTS` are dropped as already covered.
    func append(_ frame: UnsafeMutablePointer<AVFrame>, at pts: Int64) throws(TranscoderError) {
        let available = Int64(frame.pointee.nb_samples)
        let skip = min(max(endPTS - pts, 0), available)
        guard skip < available else { return }
        var pointers = frame.channelPointers(from: Int(skip), channels: channels, bytesPerSample: Self.bytesPerSample)
        let status = av_audio_fifo_write(fifo, &pointers, Int32(available - skip))
        guard status >= 0 else { throw TranscoderError(operation: "av_audio_fifo_write", code: status) }
    }

    /// Queues `samples` of silence at `endPTS`.
    func appendSilence(_ samples: Int64) throws(TranscoderError) {
        var remaining = samples
        while remaining > 0 {
            let chunk = Int32(min(remaining, Int64(Self.silenceChunk)))
            let status = av_audio_fifo_write(fifo, &silence, chunk)
            guard status >= 0 else { throw TranscoderError(operation: "av_audio_fifo_write", code: status) }
            remaining -= Int64(chunk)
        }
    }

    /// Moves the first `samples` into `frame` (planar, with room for them) and returns the
    /// timeline position of the first.
    func read(_ samples: Int, into frame: UnsafeMutablePointer<AVFrame>) throws(TranscoderError) -> Int64 {
        var pointers = frame.channelPointers(from: 0, channels: channels, bytesPerSample: Self.bytesPerSample)
        let status = av_audio_fifo_read(fifo, &pointers, Int32(samples))
        guard status == samples else { throw TranscoderError(operation: "av_audio_fifo_read", code: status < 0 ? status : -EIO) }
        let pts = startPTS
        startPTS += Int64(samples)
        return pts
    }

    /// Continues the timeline at `pts`, later than `endPTS`, with nothing queued (a hole in
    /// the track, or time covered otherwise).
    func skip(to pts: Int64) {
        precondition(count == 0 && pts >= startPTS, "AudioSampleQueue.skip with samples queued or backwards")
        startPTS = pts
    }

    deinit {
        av_audio_fifo_free(fifo)
        for plane in silence { free(plane) }
    }
}
