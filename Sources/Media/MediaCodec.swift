/// Whether a track carries sound or pictures.
public enum MediaKind: String, Sendable, Hashable, CaseIterable, Codable {
    case audio
    case video
}

/// The codecs the writers take, already encoded. `VideoTranscoder` and `AudioTranscoder` turn
/// VP8/VP9 and Opus into H.264 and AAC for MP4.
public enum MediaCodec: String, Sendable, Hashable, CaseIterable, Codable {
    case opus
    case vp8
    case vp9
    case h264
    case aac

    public var kind: MediaKind {
        switch self {
        case .opus, .aac: .audio
        case .vp8, .vp9, .h264: .video
        }
    }
}
