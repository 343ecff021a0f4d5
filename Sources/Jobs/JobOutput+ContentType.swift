extension JobOutput {
    /// The file's media type, by its extension: what an upload labels the object with and what a
    /// download is served as. A WebM or MP4 file may hold audio only; `video/…` plays either way.
    public var contentType: String {
        switch path.split(separator: ".").last?.lowercased() {
        case "webm": "video/webm"
        case "mp4", "m4v": "video/mp4"
        case "m4a": "audio/mp4"
        case "ogg", "opus": "audio/ogg"
        case "mkv": "video/x-matroska"
        case "json": "application/json"
        case "vtt": "text/vtt"
        case "pcapng": "application/x-pcapng"
        default: "application/octet-stream"
        }
    }
}

extension JobOutput {
    /// Whether it is a media file with something in it (a participant's, or the room's mix), as
    /// opposed to the speaker timeline, which every recording writes, whether anyone sent media or
    /// not, and a raw capture, which holds whatever arrived.
    public var holdsMedia: Bool {
        kind == .media && bytes > 0 && (contentType.hasPrefix("audio/") || contentType.hasPrefix("video/"))
    }
}
