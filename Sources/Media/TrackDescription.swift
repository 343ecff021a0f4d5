/// One track of a file, declared before the first frame: every container here writes its track
/// list (and the decoder configuration in it) in the header, ahead of the media.
public struct TrackDescription: Sendable, Hashable {
    public var codec: MediaCodec
    /// The unit of the `pts` values passed to `MediaFileWriter.write`.
    public var timeBase: TimeBase
    /// Video only: the coded size (of the first keyframe).
    public var width: Int
    public var height: Int
    /// Audio only. Opus decodes at 48 kHz whatever the source was (RFC 7587), so keep 48 000.
    public var sampleRate: Int
    public var channels: Int
    /// The decoder configuration the container stores:
    /// - Opus: an OpusHead (RFC 7845 §5.1); when nil, one is written from `channels` and
    ///   `opusPreSkip`.
    /// - H.264: SPS and PPS as Annex B (start codes), e.g. `H264AnnexB.parameterSets(in:)` of the
    ///   first keyframe. Required; frames are Annex B too (the MP4 muxer converts both).
    /// - AAC: the encoder's AudioSpecificConfig. Required.
    /// - VP8/VP9: none.
    public var extradata: [UInt8]?
    /// Opus samples (at 48 kHz) a player discards at the start. A recording that joins a stream
    /// mid-way gets its first packet from an encoder long past its priming, so 0 keeps audio
    /// aligned with video; use 312 for a stream from an encoder's very first packet.
    public var opusPreSkip: Int

    public var kind: MediaKind { codec.kind }

    public init(codec: MediaCodec, timeBase: TimeBase, width: Int = 0, height: Int = 0,
                sampleRate: Int = 0, channels: Int = 0, extradata: [UInt8]? = nil, opusPreSkip: Int = 0) {
        self.codec = codec
        self.timeBase = timeBase
        self.width = width
        self.height = height
        self.sampleRate = sampleRate
        self.channels = channels
        self.extradata = extradata
        self.opusPreSkip = opusPreSkip
    }

    public static func video(_ codec: MediaCodec, width: Int, height: Int, timeBase: TimeBase = .rtpVideo,
                             extradata: [UInt8]? = nil) -> TrackDescription {
        TrackDescription(codec: codec, timeBase: timeBase, width: width, height: height, extradata: extradata)
    }

    public static func audio(_ codec: MediaCodec, sampleRate: Int = 48_000, channels: Int = 2,
                             timeBase: TimeBase? = nil, extradata: [UInt8]? = nil,
                             opusPreSkip: Int = 0) -> TrackDescription {
        TrackDescription(codec: codec, timeBase: timeBase ?? .samples(Int32(clamping: sampleRate)),
                         sampleRate: sampleRate, channels: channels, extradata: extradata,
                         opusPreSkip: opusPreSkip)
    }
}
