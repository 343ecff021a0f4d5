import Foundation

/// `manifest.json` in a recording's directory: what was recorded, of whom, in which files, and
/// how well — rewritten atomically while recording and once more at the end.
public struct RecordingManifest: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        case recording
        /// Ended normally; every file finished.
        case finished
        /// Ended with nothing written, or with an error that stopped the recording.
        case failed
    }

    public var room: String
    public var recipe: String
    public var container: String
    public var layout: String
    public var state: State
    /// The recorder's wall clock (Unix seconds) at the start and (once over) the end.
    public var started: Double
    public var ended: Double?
    /// Every participant seen, with their connection's statistics and their recorded segments.
    public var participants: [ParticipantReport]
    /// Every file, relative to the recording's directory, in participant and segment order.
    public var files: [String]
    public var errors: [String]

    init(room: String, recipe: String, container: String, layout: String, state: State, started: Double, ended: Double?,
         participants: [ParticipantReport], errors: [String]) {
        self.room = room
        self.recipe = recipe
        self.container = container
        self.layout = layout
        self.state = state
        self.started = started
        self.ended = ended
        self.participants = participants
        self.files = participants.flatMap { $0.recording?.segments.flatMap { $0.files.map(\.path) } ?? [] }
        self.errors = errors
    }
}
