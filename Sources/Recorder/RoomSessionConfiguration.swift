import RTC
import RTCNIO
import Signaling

/// How the bot joins a room.
public struct RoomSessionConfiguration: Sendable {
    public var signaling: SignalingClientConfiguration
    public var network = PeerNetworkConfiguration()
    public var codecs = SDP.CodecPreferences()
    /// In a plain relay room (a server that names nobody), offer to receive on joining, and
    /// take the first answer. Off by default: a caller already in a call there would take the
    /// offer as a renegotiation of that call.
    public var offersInPlainRoom = false
    /// End the session with `RoomJoinTimeout` unless the bot is in the room this long after
    /// starting (the server answered `joined`, or a plain relay room was entered); nil: keep
    /// reconnecting for ever. Only the first join counts: once in, reconnects after a lost
    /// connection are not timed.
    public var joinTimeout: Duration?
    /// The most participants one session connects to; those beyond are not recorded, and the
    /// manifest says how many (a room that floods joins must not grow the recorder without bound).
    public var maximumParticipants = Self.defaultMaximumParticipants
    public static let defaultMaximumParticipants = 100

    public init(signaling: SignalingClientConfiguration) {
        self.signaling = signaling
    }

    /// Joining `room` on the signaling server at `signalingURL` (`ws:` or `wss:`), with the
    /// server's room token if it wants one, under `botName` if given.
    public init(signalingURL: String, room: String, token: String?, botName: String?, network: PeerNetworkConfiguration) {
        var signaling = SignalingClientConfiguration(url: signalingURL, room: room, token: token)
        signaling.name = botName
        self.init(signaling: signaling)
        self.network = network
    }
}

/// What the bot saw of one participant, for `tapedeck join` and (later) the recording manifest.
public struct ParticipantReport: Sendable, Hashable, Codable {
    public var participant: String
    /// The name the participant gave when joining, if any.
    public var name: String?
    public var connected: Bool
    public var iceState: String
    public var srtpProfile: String?
    public var selectedPair: String?
    /// Our candidates as gathered and signalled, e.g. `srflx 203.0.113.7:40000 raddr 10.0.0.2:40000`.
    public var localCandidates: [String]
    /// The participant's candidates: signalled (an mDNS one once resolved, as
    /// `host 10.0.0.3:5000 (NAME.local)`) and peer-reflexive ones learned from its checks.
    public var remoteCandidates: [String]
    /// Every candidate pair with the state of its checks, best first, e.g.
    /// `succeeded nominated selected host 10.0.0.2:40000 <-> host 10.0.0.3:5000`.
    public var candidatePairs: [String]
    public var streams: [InboundStreamStats]
    public var rtcpPackets: Int
    public var authenticationFailures: Int
    public var replays: Int
    /// `PeerConnectionStats.limitsReached`.
    public var limitsReached: [String: Int] = [:]
    /// `PeerConnectionStats.uncheckedSourceDrops`.
    public var uncheckedSourceDrops = 0
    public var failure: String?
    /// What was recorded of the participant (nil when the session does not record).
    public var recording: ParticipantRecording?
    /// The connection's raw capture (nil when the recipe keeps none).
    public var capture: RecordingManifest.Capture?
}
