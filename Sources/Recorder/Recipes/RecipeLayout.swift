/// How a recipe splits the room's tracks into files.
public enum RecipeLayout: String, Sendable, Hashable, Codable, CaseIterable {
    /// One file per participant (per connection segment) holding all of its tracks.
    case perParticipant = "per-participant"
    /// One file per track: a camera and a screen share of one participant land apart.
    case perTrack = "per-track"
    /// One file for the whole room: every participant's audio mixed on one timeline (the
    /// recording's) and, when the recipe records video, everyone's pictures composited on one
    /// canvas (`Recipe.composite`). No participant gets a file of their own.
    case room

    /// The file name when a recipe gives none.
    var defaultFileName: FileNameTemplate {
        // Both literals are valid templates (RecipeTests loads recipes that rely on them).
        switch self {
        case .perParticipant: try! FileNameTemplate("{participant}")
        case .perTrack: try! FileNameTemplate("{participant}-{kind}-{track}")
        case .room: try! FileNameTemplate("mix")
        }
    }

    /// A room's file with video is its composite.
    static let compositeFileName = try! FileNameTemplate("composite")
}
