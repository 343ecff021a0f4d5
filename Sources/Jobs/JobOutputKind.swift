/// What a job's output is: what the recipe made (media: a participant's file, the room's mix),
/// who spoke when (`speakers.vtt`), or a connection's raw capture (`.pcapng`), which a render
/// makes the recording again from.
public enum JobOutputKind: String, Codable, Sendable, CaseIterable {
    case media
    case speakers
    case capture

    /// As the file's name says.
    public init(path: String) {
        switch path.split(separator: ".").last?.lowercased() {
        case "pcapng": self = .capture
        case "vtt": self = .speakers
        default: self = .media
        }
    }
}
