/// The file formats a `MediaFileWriter` produces, each through its libavformat muxer.
public enum MediaContainer: String, Sendable, Hashable, CaseIterable, Codable {
    /// Matroska's WebM profile: VP8/VP9 and Opus.
    case webm
    /// Fragmented MP4 (moov up front, then moof+mdat fragments): H.264, AAC and Opus.
    case mp4
    /// Ogg Opus (RFC 7845): one or more Opus tracks, nothing else.
    case ogg

    /// The codecs this container takes. Checked before libavformat sees a track, so a wrong
    /// combination fails with our error instead of a muxer log line. VP9 in MP4 is left out on
    /// purpose: its vpcC box needs bitstream details the frames' caller does not declare.
    public var supportedCodecs: Set<MediaCodec> {
        switch self {
        case .webm: [.vp8, .vp9, .opus]
        case .mp4: [.h264, .aac, .opus]
        case .ogg: [.opus]
        }
    }

    /// The usual file name extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .webm: "webm"
        case .mp4: "mp4"
        case .ogg: "ogg"
        }
    }

    /// libavformat's short name for the muxer.
    var muxerName: String {
        switch self {
        case .webm: "webm"
        case .mp4: "mp4"
        case .ogg: "ogg"
        }
    }
}
