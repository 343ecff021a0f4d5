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
    public var participant: String
    public var connected: Bool
    public var iceState: String
    public var srtpProfile: String?
    public var selectedPair: String?
    public var streams: [InboundStreamStats]
    public var rtcpPackets: Int
    public var authenticationFailures: Int
    public var replays: Int
    public var failure: String?
}
