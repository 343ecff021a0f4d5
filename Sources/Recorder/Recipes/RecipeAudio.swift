/// What a recipe does with audio.
public enum RecipeAudio: String, Sendable, Hashable, Codable, CaseIterable {
    /// Write Opus as the sender encoded it.
    case passthrough
    /// Write AAC, transcoded from the sender's Opus.
    case aac
    /// Leave audio out.
    case none

    public var mayTranscode: Bool { self == .aac }
}
