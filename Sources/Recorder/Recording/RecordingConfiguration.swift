import Media
import RTC

/// One recording: where to join, what to write, and where.
public struct RecordingConfiguration: Sendable {
    public var room: RoomSessionConfiguration
    /// The room's name, for the manifest and file names.
    public var roomName: String
    public var format: RecordingFormat
    /// The recipe the format came from, for the manifest.
    public var recipeName: String
    /// The recording's directory; created if missing. Files and `manifest.json` go here.
    public var directory: String
    public var naming: SegmentNaming
    /// How often `manifest.json` is rewritten while recording.
    public var manifestInterval: Duration = .seconds(2)
    /// End the recording once the room has been empty this long (nil: never).
    public var stopWhenEmpty: Duration?

    public init(room: RoomSessionConfiguration, roomName: String, format: RecordingFormat, recipeName: String,
                directory: String, naming: @escaping SegmentNaming = RecordingConfiguration.defaultNaming) {
        self.room = room
        self.roomName = roomName
        self.format = format
        self.recipeName = recipeName
        self.directory = directory
        self.naming = naming
    }

    /// `PARTICIPANT[-KIND-TRACK][-SEGMENT].EXT`, with anything but letters, digits, `-` and `_`
    /// in the participant's name replaced, so no name reaches outside the directory.
    public static let defaultNaming: SegmentNaming = { name in
        func safe(_ text: String) -> String {
            let mapped = text.unicodeScalars.map { scalar in
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_" ? Character(scalar) : "_"
            }
            return String(String(mapped).prefix(64))
        }
        var base = safe(name.participant)
        if base.isEmpty { base = "participant" }
        if let kind = name.kind { base += "-\(safe(kind))" }
        if let track = name.track { base += "-\(safe(track))" }
        if name.segment > 1 { base += "-\(name.segment)" }
        return base + "." + name.fileExtension
    }
}

/// What `Recording.run` reports while it records.
public struct RecordingProgress: Sendable {
    public var elapsed: Duration
    public var participants: Int
    public var bitrateKbps: Double
    public var packetsLost: Int
    public var packetsReceived: Int
    public var files: Int
}
