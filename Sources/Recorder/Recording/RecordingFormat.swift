import Media

/// What a recording writes: the container, how tracks are grouped into files, and what becomes
/// of each kind of media. A recipe names one.
public struct RecordingFormat: Sendable, Hashable {
    public enum Layout: String, Sendable, Hashable {
        /// One file per participant with their audio and video.
        case perParticipant = "per-participant"
        /// One file per track.
        case perTrack = "per-track"
    }

    public enum VideoOutput: String, Sendable, Hashable {
        /// Written as sent.
        case passthrough
        /// H.264: passed through when the sender sends H.264, else transcoded.
        case h264
        /// Not recorded.
        case none
    }

    public enum AudioOutput: String, Sendable, Hashable {
        case passthrough
        /// AAC-LC, transcoded from Opus.
        case aac
        case none
    }

    public var container: MediaContainer
    public var layout: Layout
    public var video: VideoOutput
    public var audio: AudioOutput

    public init(container: MediaContainer, layout: Layout = .perParticipant, video: VideoOutput = .passthrough,
                audio: AudioOutput = .passthrough) {
        self.container = container
        self.layout = layout
        self.video = video
        self.audio = audio
    }

    public static let webm = RecordingFormat(container: .webm)
    public static let audioOgg = RecordingFormat(container: .ogg, video: .none)
}
