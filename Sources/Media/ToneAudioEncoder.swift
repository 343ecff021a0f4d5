internal import COpus
internal import CMediaShims

/// The synthetic publisher's audio: the test tone (`ToneGenerator`) encoded as Opus by libopus,
/// 20 ms a packet at 48 kHz as WebRTC sends it, without DTX so that packets flow through the
/// silences of the flash-beep pattern too. Each frame says its level (RFC 6464), for the
/// audio-level header extension; `TestAudioSound.silent` sends silence instead of the tone.
///
/// Not thread-safe: one owner calls `encodeNextFrame`.
public final class ToneAudioEncoder {
    public struct Configuration: Sendable, Hashable {
        public var channels: Int
        public var bitrateKbps: Int
        public var pattern: TestSignalPattern
        public var sound: TestAudioSound
        /// The `moving` pattern's tone, in Hz (several publishers in one room told apart by ear
        /// or by a spectrum); the flash-beep pattern's beep stays 1 kHz.
        public var toneFrequency: Int
        /// When the tone sounds, in seconds of the stream (its first frame at 0); silence
        /// elsewhere. Empty: always. A participant who speaks, then does not, for speaker tests.
        public var toneWindows: [Range<Double>]

        public init(channels: Int = 2, bitrateKbps: Int = 32, pattern: TestSignalPattern = .moving, sound: TestAudioSound = .tone,
                    toneFrequency: Int = ToneGenerator.toneFrequency, toneWindows: [Range<Double>] = []) {
            self.channels = channels
            self.bitrateKbps = bitrateKbps
            self.pattern = pattern
            self.sound = sound
            self.toneFrequency = toneFrequency
            self.toneWindows = toneWindows
        }
    }

    /// Opus always runs a 48 kHz clock on the wire (RFC 7587).
    public static let sampleRate = 48_000
    public static let samplesPerFrame = 960

    public let configuration: Configuration
    /// Samples the encoder delays its output by (its lookahead): a decoder plays input sample n
    /// as output sample n + preSkip. Timestamps are moved back by it, so what a receiver plays at
    /// a timestamp is what was generated for that time; a file starting at the first packet
    /// declares it as its pre-skip.
    public let preSkip: Int
    public private(set) var framesEncoded = 0
    /// The index of the 20 ms frame `encodeNextFrame` makes: its place on the clock.
    public private(set) var nextFrameIndex = 0
    private let encoder: OpaquePointer
    private let generator: ToneGenerator
    private var samples: [Int16] = []
    private var packet = [UInt8](repeating: 0, count: 1_500)

    public init(configuration: Configuration) throws(MediaEncoderError) {
        guard (1...2).contains(configuration.channels), (6...510).contains(configuration.bitrateKbps) else {
            throw MediaEncoderError(operation: "configure", message: "Opus takes 1 or 2 channels at 6 to 510 kbit/s")
        }
        guard ToneGenerator.toneFrequencies.contains(configuration.toneFrequency) else {
            throw MediaEncoderError(operation: "configure", message: "the tone must be \(ToneGenerator.toneFrequencies) Hz")
        }
        var status: Int32 = 0
        guard let encoder = opus_encoder_create(Int32(Self.sampleRate), Int32(configuration.channels), OPUS_APPLICATION_AUDIO, &status),
              status == OPUS_OK else {
            throw Self.error("opus_encoder_create", status)
        }
        status = tapedeck_opus_encoder_set_bitrate(encoder, Int32(configuration.bitrateKbps * 1_000))
        var lookahead: Int32 = 0
        if status == OPUS_OK { status = tapedeck_opus_encoder_get_lookahead(encoder, &lookahead) }
        guard status == OPUS_OK else {
            opus_encoder_destroy(encoder)
            throw Self.error("opus_encoder_ctl", status)
        }
        self.encoder = encoder
        self.configuration = configuration
        preSkip = Int(lookahead)
        generator = ToneGenerator(pattern: configuration.pattern, sampleRate: Self.sampleRate, channels: configuration.channels,
                                  toneFrequency: configuration.toneFrequency)
        samples.reserveCapacity(Self.samplesPerFrame * configuration.channels)
    }

    deinit { opus_encoder_destroy(encoder) }

    /// Generates and encodes the next 20 ms. Its timestamp (48 kHz) is where its first decoded
    /// sample belongs: index × 960 − `preSkip`.
    public func encodeNextFrame() throws(MediaEncoderError) -> EncodedFrame {
        let first = Int64(nextFrameIndex) * Int64(Self.samplesPerFrame)
        let seconds = Double(first) / Double(Self.sampleRate)
        let inWindow = configuration.toneWindows.isEmpty || configuration.toneWindows.contains { $0.contains(seconds) }
        switch inWindow ? configuration.sound : .silent {
        case .tone: generator.render(startingAt: first, count: Self.samplesPerFrame, into: &samples)
        case .silent:
            samples.removeAll(keepingCapacity: true)
            samples.append(contentsOf: repeatElement(0, count: Self.samplesPerFrame * configuration.channels))
        }
        let length = samples.withUnsafeBufferPointer { pcm in
            packet.withUnsafeMutableBufferPointer { output in
                opus_encode(encoder, pcm.baseAddress!, Int32(Self.samplesPerFrame), output.baseAddress!, Int32(output.count))
            }
        }
        guard length > 0 else { throw Self.error("opus_encode", length) }
        framesEncoded += 1
        nextFrameIndex += 1
        return EncodedFrame(data: Array(packet.prefix(Int(length))), timestamp: first - Int64(preSkip), isKeyframe: true,
                            audioLevel: AudioLevelMeter.level(of: samples))
    }

    /// Jumps ahead to frame `index` (a sender that fell behind real time catches up); the
    /// signal continues from there, as if the frames in between had been sent and lost.
    public func skip(to index: Int) {
        nextFrameIndex = max(nextFrameIndex, index)
    }

    private static func error(_ operation: String, _ status: Int32) -> MediaEncoderError {
        MediaEncoderError(operation: operation, message: opus_strerror(status).map { String(cString: $0) } ?? "error \(status)")
    }
}
