/// The Content-Type a recording's file is served with, from its extension: what the recipes write
/// (WebM, MP4, Ogg, and the WebVTT speaker timeline), so that a browser or player plays it rather than saving it. A WebM holding
/// audio only is still `video/webm`: telling would mean reading the file, and players accept it.
enum MediaContentType {
    static func of(path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return fallback }
        return byExtension[name[name.index(after: dot)...].lowercased()] ?? fallback
    }

    static let fallback = "application/octet-stream"

    private static let byExtension = [
        "webm": "video/webm",
        "weba": "audio/webm",
        "mp4": "video/mp4",
        "m4v": "video/mp4",
        "m4a": "audio/mp4",
        "mkv": "video/x-matroska",
        "mka": "audio/x-matroska",
        "ogg": "audio/ogg",
        "oga": "audio/ogg",
        "opus": "audio/ogg",
        "ogv": "video/ogg",
        "json": "application/json",
        "vtt": "text/vtt; charset=utf-8",
    ]
}
