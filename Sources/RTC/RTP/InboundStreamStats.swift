/// Receive statistics of one RTP stream (SSRC): what `tapedeck join --json` and the recording's
/// manifest report per track.
public struct InboundStreamStats: Sendable, Hashable, Codable {
    public var ssrc: UInt32
    /// The SSRC its retransmissions (RTX) arrive on, once seen.
    public var rtxSSRC: UInt32?
    public var mid: String?
    public var kind: String
    public var codec: String
    public var payloadType: UInt8
    /// Distinct media packets received, retransmissions included, duplicates not.
    public var packetsReceived = 0
    public var bytesReceived = 0
    /// Packets never received: given up after waiting (and asking) for them.
    public var packetsLost = 0
    /// Packets that arrived after a NACK asked for them.
    public var packetsRecovered = 0
    /// Packets that arrived as retransmissions (RTX), useful or not.
    public var retransmissionsReceived = 0
    public var duplicates = 0
    /// Packets that arrived after the receiver had given them up.
    public var latePackets = 0
    public var malformedPackets = 0
    /// Frames cut at `FrameAssembler.maximumFrameBytes`; nil (absent from the manifest) when none,
    /// so that manifests written before the limit existed still read.
    public var oversizedFrames: Int?
    /// NACK messages sent, and the packets they asked for.
    public var nacksSent = 0
    public var packetsRequested = 0
    public var plisSent = 0
    public var firsSent = 0
    public var senderReports = 0
    /// Interarrival jitter (RFC 3550 §6.4.1), in milliseconds.
    public var jitterMilliseconds = 0.0
    /// Complete frames handed to the writer.
    public var frames = 0
    public var keyframes = 0
    /// Frames missing packets; video ones are dropped until the next keyframe.
    public var incompleteFrames = 0
    /// Complete frames dropped while waiting for a keyframe (they cannot be decoded).
    public var framesDiscarded = 0
    /// Gaps between complete video frames longer than the freeze threshold.
    public var freezes = 0
    /// Average received bitrate over the stream's life, in kbit/s.
    public var bitrateKbps = 0.0
    public var width: Int?
    public var height: Int?
    /// The sender said goodbye (RTCP BYE).
    public var ended = false

    public init(ssrc: UInt32, mid: String?, kind: String, codec: String, payloadType: UInt8) {
        self.ssrc = ssrc
        self.mid = mid
        self.kind = kind
        self.codec = codec
        self.payloadType = payloadType
    }
}
