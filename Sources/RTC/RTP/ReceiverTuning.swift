/// How long a stream's receiver waits for missing packets and how hard it asks for them.
/// Recording is not live playback: holding a second for a retransmission costs only memory.
public struct ReceiverTuning: Sendable, Hashable {
    /// How long a hole is held when the sender retransmits on NACK.
    public var holdBackWithRetransmission: Duration = .seconds(1)
    /// How long a hole is held for reordering alone (no NACK negotiated).
    public var holdBackWithoutRetransmission: Duration = .milliseconds(80)
    /// Wait before the first NACK: the packet may only be late.
    public var reorderDelay: Duration = .milliseconds(10)
    public var maxNacksPerPacket = 10
    /// Keyframe requests at most this often (PLI throttling).
    public var keyframeRequestInterval: Duration = .seconds(1)
    /// Packets held per video stream: a second of several Mbit/s.
    public var videoWindow = 1024
    public var audioWindow = 128
    /// A gap between complete video frames longer than this counts as a freeze.
    public var freezeThreshold: Duration = .milliseconds(500)

    public init() {}
}
