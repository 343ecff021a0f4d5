/// What a `VideoTranscoder` did with its input, for the recording's manifest.
public struct VideoTranscoderStatistics: Sendable, Hashable {
    /// Frames handed to `transcode`.
    public var framesReceived = 0
    /// Pictures the decoder produced.
    public var framesDecoded = 0
    /// H.264 frames out.
    public var framesEncoded = 0
    /// Frames that arrived while the decoder waited for a keyframe (before the first one, and
    /// after an undecodable frame): not decoded, as they would only decode to garbage.
    public var framesSkippedWaitingForKeyframe = 0
    /// Frames the decoder refused or reported broken. Each starts a wait for a keyframe.
    public var framesUndecodable = 0
    /// Decoded pictures of another size (or pixel format) than the track's, fitted into it.
    public var framesScaled = 0
    /// Pictures whose timestamp repeated or went back, moved one tick after the previous one
    /// (the encoder needs them strictly increasing).
    public var timestampsAdjusted = 0

    public init() {}
}
