import Media
import RTC
import RTCNIO
import Signaling

/// How `tapedeck publish` joins a room and what it sends.
public struct PublishConfiguration: Sendable {
    public var signaling: SignalingClientConfiguration
    /// How many synthetic participants join, each on its own signaling connection.
    public var count = 1
    /// The name each participant gives at join: `NAME` alone, or `NAME-1` … `NAME-N` for several
    /// (nil: none; the room knows them by their ids).
    public var name: String?
    public var video = TestPatternVideoEncoder.Configuration()
    public var audio = ToneAudioEncoder.Configuration()
    public var ice = IceConfiguration()
    /// Gather host candidates on loopback too (receivers on the same machine, tests).
    public var includeLoopback = false
    /// The process's one UDP port for every connection, or a random port per connection.
    public var udpPort: UDPPortChoice = .perPeer
    /// How long to wait for each participant's join before starting the next anyway.
    public var joinTimeout: Duration = .seconds(10)

    public init(signaling: SignalingClientConfiguration) {
        self.signaling = signaling
    }
}
