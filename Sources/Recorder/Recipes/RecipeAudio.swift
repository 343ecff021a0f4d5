/// What a recipe does with audio.
public enum RecipeAudio: String, Sendable, Hashable, Codable, CaseIterable {
    /// Write Opus as the sender encoded it.
    case passthrough
    /// Write AAC, transcoded from the sender's Opus.
    case aac
    /// Write Opus encoded by the recorder: a room's mix, decoded and encoded again (a
    /// participant's own audio is written as sent: `passthrough`).
    case opus
    /// Leave audio out.
    case none

    public var mayTranscode: Bool { self == .aac || self == .opus }
}
