import RTC
import Signaling

/// How the bot joins a room.
public struct RoomSessionConfiguration: Sendable {
    public var signaling: SignalingClientConfiguration
    public var ice = IceConfiguration()
    public var codecs = SDP.CodecPreferences()
    /// Gather host candidates on loopback too (peers on the same machine, tests).
    public var includeLoopback = false

    public init(signaling: SignalingClientConfiguration) {
        self.signaling = signaling
    }
}

/// What the bot saw of one participant, for `tapedeck join` and (later) the recording manifest.
public struct ParticipantReport: Sendable, Hashable, Codable {
    public struct Stream: Sendable, Hashable, Codable {
        public var ssrc: UInt32
        public var mid: String?
        public var kind: String
        public var codec: String
        public var packetsDecrypted: Int
        public var bytesDecrypted: Int
    }

    public var participant: String
    public var connected: Bool
    public var iceState: String
    public var srtpProfile: String?
    public var selectedPair: String?
    public var streams: [Stream]
    public var rtcpPackets: Int
    public var authenticationFailures: Int
    public var replays: Int
    public var failure: String?
}
