import Media
import RTC

/// `manifest.json`: what one recording made and how it went. Written (atomically, by
/// `ManifestWriter`) when the recording starts, whenever a file starts or ends, and when it
/// ends, so a reader always finds a whole manifest, even of a recording whose process died.
///
/// JSON keys are camelCase like `tapedeck join --json`'s reports; times are ISO 8601 UTC with
/// milliseconds; paths are relative to the manifest's directory; keys without a value (a
/// recording not ended yet) are left out.
public struct RecordingManifest: Sendable, Hashable, Codable {
    /// Bumped when a field changes meaning or goes away (adding one does not).
    public static let currentFormatVersion = 1

    public enum State: String, Sendable, Hashable, Codable {
        /// Still running, or its process died before it could say otherwise.
        case recording
        case finished
        case failed
    }

    public var formatVersion = RecordingManifest.currentFormatVersion
    public var recordingId: String
    public var room: String
    /// The recipe's name (a recipe file's is its file name without `.yaml`).
    public var recipe: String
    public var state: State
    public var startedAt: ManifestTimestamp
    public var endedAt: ManifestTimestamp?
    public var participants: [Participant]
    /// What went wrong, for people: "alice: no keyframe in 10 s", "disk full writing bob.webm".
    public var errors: [String]
    /// Who speaks when, as WebVTT (absent in manifests written before it existed); the intervals
    /// themselves are each participant's `speaking`.
    public var speakerTimeline: SpeakerTimelineFile?
    /// The room's mixed audio, for a recipe of layout `room` (absent otherwise, and until the
    /// first audio to mix arrived).
    public var mix: Mix?
    /// The room's composite video, for a room recipe with video (absent otherwise, and until
    /// the first media opened the room's file).
    public var composite: Composite?

    public init(recordingId: String, room: String, recipe: String, state: State = .recording,
                startedAt: ManifestTimestamp, endedAt: ManifestTimestamp? = nil,
                participants: [Participant] = [], errors: [String] = [], speakerTimeline: SpeakerTimelineFile? = nil,
                mix: Mix? = nil, composite: Composite? = nil) {
        self.recordingId = recordingId
        self.room = room
        self.recipe = recipe
        self.state = state
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.participants = participants
        self.errors = errors
        self.speakerTimeline = speakerTimeline
        self.mix = mix
        self.composite = composite
    }
}

extension RecordingManifest {
    /// Everyone the bot recorded, in the order they were first seen.
    public struct Participant: Sendable, Hashable, Codable {
        /// How they are known, and what their files are named by: the name they gave at join,
        /// else the signaling id of their (only) connection.
        public var id: String
        /// The name they gave at join. Connections under one name are one participant: someone
        /// whose call dropped and came back keeps their segments together.
        public var name: String?
        /// How each of their connections went, oldest first.
        public var connections: [Connection]
        /// One or more per connection: a participant who leaves and comes back (or adds a track
        /// the open files did not declare) gets a new segment, with files of its own.
        public var segments: [Segment]
        /// Streams received that no file holds (a kind the recipe leaves out, a track that could
        /// not be written), with their receive statistics; the others are in their tracks.
        public var unrecordedStreams: [InboundStreamStats]
        /// When they spoke, in order, from the audio levels their sender put in its packets
        /// (RFC 6464). Empty: they sent levels but never spoke; absent: no level reached the
        /// recorder (a sender without the extension), so nobody can tell.
        public var speaking: [SpeakingInterval]?

        public init(id: String, name: String? = nil, connections: [Connection] = [], segments: [Segment] = [],
                    unrecordedStreams: [InboundStreamStats] = [], speaking: [SpeakingInterval]? = nil) {
            self.id = id
            self.name = name
            self.connections = connections
            self.segments = segments
            self.unrecordedStreams = unrecordedStreams
            self.speaking = speaking
        }
    }

    /// How the bot's connection to a participant went: what `tapedeck join --json` reports,
    /// less the candidates and streams (the streams are in the tracks they fed).
    public struct Connection: Sendable, Hashable, Codable {
        /// The id the signaling server gave the connection.
        public var id: String
        public var connected: Bool
        public var iceState: String
        public var srtpProfile: String?
        public var selectedPair: String?
        /// Every candidate pair and the state of its checks, best first: why a connection failed.
        public var candidatePairs: [String]
        public var authenticationFailures: Int
        public var replays: Int
        /// The limits the participant's input reached (see `PeerConnectionStats.limitsReached`);
        /// absent when none was.
        public var limitsReached: [String: Int]?
        /// DTLS, SRTP and SRTCP datagrams dropped because they came from an address that had not
        /// passed ICE checks (see `PeerConnectionStats.uncheckedSourceDrops`); absent when none.
        public var uncheckedSourceDrops: Int?
        public var failure: String?
        /// The connection's raw capture; absent when the recipe keeps none.
        public var capture: Capture?

        public init(id: String, connected: Bool, iceState: String, srtpProfile: String? = nil, selectedPair: String? = nil,
                    candidatePairs: [String] = [], authenticationFailures: Int = 0, replays: Int = 0,
                    limitsReached: [String: Int]? = nil, uncheckedSourceDrops: Int? = nil, failure: String? = nil) {
            self.id = id
            self.connected = connected
            self.iceState = iceState
            self.srtpProfile = srtpProfile
            self.selectedPair = selectedPair
            self.candidatePairs = candidatePairs
            self.authenticationFailures = authenticationFailures
            self.replays = replays
            self.limitsReached = limitsReached
            self.uncheckedSourceDrops = uncheckedSourceDrops
            self.failure = failure
        }
    }

    public struct Segment: Sendable, Hashable, Codable {
        /// 1 for the first connection, then 2, 3…
        public var number: Int
        public var joinedAt: ManifestTimestamp
        public var leftAt: ManifestTimestamp?
        /// Why the connection failed, when it did.
        public var failure: String?
        public var files: [File]

        public init(number: Int, joinedAt: ManifestTimestamp, leftAt: ManifestTimestamp? = nil,
                    failure: String? = nil, files: [File] = []) {
            self.number = number
            self.joinedAt = joinedAt
            self.leftAt = leftAt
            self.failure = failure
            self.files = files
        }
    }

    public struct File: Sendable, Hashable, Codable {
        /// Relative to the manifest's directory, e.g. `alice.webm` or `alice-2.webm`.
        public var path: String
        public var container: MediaContainer
        /// The writer finished it (renamed it from `.NAME.partial`). An unfinished file still
        /// plays up to its last flushed second; its `path` names what it would have been.
        public var finished: Bool
        /// Where an unfinished file is (`.alice.webm.partial`); absent once finished.
        public var temporaryPath: String?
        /// Why writing it stopped, when it failed (a full disk).
        public var error: String?
        /// Its size on disk.
        public var bytes: Int
        public var tracks: [Track]

        public init(path: String, container: MediaContainer, finished: Bool = false, temporaryPath: String? = nil,
                    error: String? = nil, bytes: Int = 0, tracks: [Track] = []) {
            self.path = path
            self.container = container
            self.finished = finished
            self.temporaryPath = temporaryPath
            self.error = error
            self.bytes = bytes
            self.tracks = tracks
        }
    }

    public struct Track: Sendable, Hashable, Codable {
        /// The track's id (its MID, or the sender's track identifier).
        public var id: String
        public var kind: MediaKind
        /// The codec written to the file.
        public var codec: MediaCodec
        /// The codec the sender used, when it was transcoded (VP8 written as H.264, say).
        public var sourceCodec: MediaCodec?
        /// Sender wall-clock times (from RTCP sender reports) of the first and last frame written.
        public var firstFrameAt: ManifestTimestamp?
        public var lastFrameAt: ManifestTimestamp?
        /// From the first frame's start to the last frame's end, holes included.
        public var durationSeconds: Double
        public var frames: Int
        public var bytes: Int
        public var width: Int?
        public var height: Int?
        /// Frames the writer skipped before the first keyframe, or nudged (see `TrackStatistics`).
        /// No frame is dropped for its timestamp.
        public var framesSkippedBeforeKeyframe: Int
        public var timestampsAdjusted: Int
        /// Frames dropped before the writer because it fell behind (a slow disk, a busy encoder):
        /// video up to its next keyframe, which the sender was asked for. Packets are never lost to it.
        public var framesDroppedWriterBehind: Int
        /// How the sender's RTCP sender reports were weighed to place the track next to the
        /// participant's others (absent: none arrived). `distrusted` > 0: some were ignored.
        public var senderReports: SenderReportTiming?
        /// Receive quality of the RTP streams that fed the track: usually one; more when the
        /// sender restarted with a new SSRC. Packets received, lost and recovered, NACKs, PLIs,
        /// freezes, jitter…
        public var streams: [InboundStreamStats]

        public init(id: String, kind: MediaKind, codec: MediaCodec, sourceCodec: MediaCodec? = nil,
                    firstFrameAt: ManifestTimestamp? = nil, lastFrameAt: ManifestTimestamp? = nil,
                    durationSeconds: Double = 0, frames: Int = 0, bytes: Int = 0, width: Int? = nil, height: Int? = nil,
                    framesSkippedBeforeKeyframe: Int = 0, timestampsAdjusted: Int = 0, framesDroppedWriterBehind: Int = 0,
                    senderReports: SenderReportTiming? = nil,
                    streams: [InboundStreamStats] = []) {
            self.id = id
            self.kind = kind
            self.codec = codec
            self.sourceCodec = sourceCodec
            self.firstFrameAt = firstFrameAt
            self.lastFrameAt = lastFrameAt
            self.durationSeconds = durationSeconds
            self.frames = frames
            self.bytes = bytes
            self.width = width
            self.height = height
            self.framesSkippedBeforeKeyframe = framesSkippedBeforeKeyframe
            self.timestampsAdjusted = timestampsAdjusted
            self.framesDroppedWriterBehind = framesDroppedWriterBehind
            self.senderReports = senderReports
            self.streams = streams
        }
    }
}
