/// One frame out of an encoder: the compressed bytes and where they sit on the media timeline.
public struct EncodedFrame: Sendable, Hashable {
    public var data: [UInt8]
    /// When the frame's first sample or picture was taken, in the encoder's clock (90 kHz for
    /// video, 48 kHz for Opus), counted from the encoder's start. Audio can start below zero:
    /// the encoder's lookahead delays what a decoder plays back (see `ToneAudioEncoder`).
    public var timestamp: Int64
    public var isKeyframe: Bool
    /// Audio: the level of the PCM the frame was encoded from (`AudioLevelMeter`, -dBov), for
    /// the RFC 6464 header extension.
    public var audioLevel: UInt8?

    public init(data: [UInt8], timestamp: Int64, isKeyframe: Bool, audioLevel: UInt8? = nil) {
        self.data = data
        self.timestamp = timestamp
        self.isKeyframe = isKeyframe
        self.audioLevel = audioLevel
    }
}
