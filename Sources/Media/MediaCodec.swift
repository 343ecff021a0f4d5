/// Whether a track carries sound or pictures.
public enum MediaKind: String, Sendable, Hashable {
    case audio
    case video
}

/// The codecs the writers pass through. Frames arrive already encoded; nothing is transcoded here.
public enum MediaCodec: String, Sendable, Hashable, CaseIterable {
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
