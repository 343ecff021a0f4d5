internal import COpus

/// Decodes one Opus stream to 48 kHz interleaved stereo float samples with libopus, for the
/// room's mix: a packet at a time, as the sender's frames arrive. A mono stream comes out on
/// both channels. An undecodable packet is counted and gives nothing; it never throws.
///
/// Not thread-safe, and not Sendable: one owner feeds it.
public final class OpusPCMDecoder {
    public static let sampleRate = 48_000
    public static let channels = 2
    /// The longest Opus packet: 120 ms.
    private static let maximumSamples = 5_760

    private let decoder: OpaquePointer
    private var pcm: [Float]
    public private(set) var packetsDecoded = 0
    public private(set) var packetsUndecodable = 0

    public init() throws(TranscoderError) {
        var status: Int32 = 0
        guard let decoder = opus_decoder_create(Int32(Self.sampleRate), Int32(Self.channels), &status), status == OPUS_OK else {
            throw TranscoderError(operation: "opus_decoder_create",
                                  reason: .libav(code: status, message: opus_strerror(status).map { String(cString: $0) } ?? "error"))
        }
        self.decoder = decoder
        pcm = [Float](repeating: 0, count: Self.maximumSamples * Self.channels)
    }

    deinit { opus_decoder_destroy(decoder) }

    /// Decodes `packet` and hands its samples (interleaved, valid only during the call) to
    /// `body`; returns false, without calling it, for a packet libopus refuses.
    @discardableResult
    public func decode(_ packet: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<Float>) -> Void) -> Bool {
        guard let base = packet.baseAddress, !packet.isEmpty else {
            packetsUndecodable += 1
            return false
        }
        let samples = pcm.withUnsafeMutableBufferPointer { output in
            opus_decode_float(decoder, base.assumingMemoryBound(to: UInt8.self), Int32(packet.count), output.baseAddress!,
                              Int32(Self.maximumSamples), 0)
        }
        guard samples > 0 else {
            packetsUndecodable += 1
            return false
        }
        packetsDecoded += 1
        pcm.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0.prefix(Int(samples) * Self.channels))) }
        return true
    }
}
