import Foundation
import Media
import RTC
import Signaling

/// One recording: where to join, what to write, and where.
public struct RecordingConfiguration: Sendable {
    public var room: RoomSessionConfiguration
    /// The room's name, for the manifest and file names.
    public var roomName: String
    public var recipe: Recipe
    /// The recording's directory; created if missing. Files and `manifest.json` go here.
    public var directory: String
    /// The recording's id in the manifest (a job's id, when a job runs it).
    public var recordingId: String
    /// How often `manifest.json` is rewritten while recording.
    public var manifestInterval: Duration = .seconds(2)
    /// End the recording once the room has been empty this long (nil: never).
    public var stopWhenEmpty: Duration?
    /// Said in the manifest's `errors` (and logged) when the duration given to `Recording.run`
    /// ends the recording, for a duration that is not what was asked for: a server's maximum
    /// cutting a job short. Nil: ending at the duration is no news.
    public var durationLimitNote: String?
    /// Whether the recording may still write its directory (see `RecordingWriteGate`); a worker
    /// shuts it when it can no longer be sure it holds the job. Open for good unless given.
    public var writeGate = RecordingWriteGate()

    /// The name a recorder gives when it joins, unless told another: other participants see who
    /// it is, and recorders of one room know each other by it and leave each other alone.
    public static let recorderName = "tapedeck-recorder"

    public init(room: RoomSessionConfiguration, roomName: String, recipe: Recipe, directory: String,
                recordingId: String = UUID().uuidString.lowercased()) {
        var room = room
        if room.signaling.name == nil { room.signaling.name = Self.recorderName }
        // Unless told which codec to ask for, ask for the one the recipe writes as sent.
        if room.codecs.preferredVideo == nil { room.codecs.preferredVideo = recipe.videoCodecWrittenAsSent }
        self.room = room
        self.roomName = roomName
        self.recipe = recipe
        self.directory = directory
        self.recordingId = recordingId
    }
}

/// What `Recording.run` reports while it records.
public struct RecordingProgress: Sendable {
    public var elapsed: Duration
    /// The bot is in the room (the server answered its join, or a plain relay room was
    /// entered). Until then the recording is only trying to reach the server.
    public var joined: Bool
    public var participants: Int
    public var bitrateKbps: Double
    public var packetsLost: Int
    public var packetsReceived: Int
    public var files: Int
    /// The manifest as of this report: what `manifest.json` now holds (or would, were the
    /// recording's write gate not shut), for a caller in the same process to read without the disk.
    public var manifest: RecordingManifest
}
