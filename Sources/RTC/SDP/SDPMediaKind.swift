extension SDP {
    /// The media type of an m= line.
    public enum MediaKind: Sendable, Hashable, CustomStringConvertible {
        case audio
        case video
        /// Data channels (`m=application ... webrtc-datachannel`).
        case application
        /// Anything else (`text`, `message`, …), kept as written so it can be answered with port 0.
        case other(String)

        public init(_ token: String) {
            switch token {
            case "audio": self = .audio
            case "video": self = .video
            case "application": self = .application
            default: self = .other(token)
            }
        }

        public var description: String {
            switch self {
            case .audio: "audio"
            case .video: "video"
            case .application: "application"
            case .other(let token): token
            }
        }
    }
}
