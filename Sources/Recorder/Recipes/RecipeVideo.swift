/// What a recipe does with video.
public enum RecipeVideo: String, Sendable, Hashable, Codable, CaseIterable {
    /// Write VP8/VP9 as the sender encoded it.
    case passthrough
    /// Write H.264: passed through when the sender sent H.264, VP8/VP9 transcoded to it.
    case h264
    /// VP8 encoded by the recorder: a room's composite in WebM (a participant's VP8 is written
    /// as sent: `passthrough`).
    case vp8
    /// Leave video out.
    case none

    /// Whether some senders' frames must be decoded and encoded again (the expensive part).
    public var mayTranscode: Bool { self == .h264 || self == .vp8 }
}
