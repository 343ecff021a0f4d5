/// One complete frame of a received track, as the writers take it. Its bytes travel beside it
/// as a borrowed buffer, valid only during the call that hands it over.
public struct MediaFrame: Sendable, Hashable {
    /// The media section (track) the frame belongs to.
    public var mid: String?
    public var ssrc: UInt32
    public var codec: SDP.SupportedCodec
    public var clockRate: Int
    /// Position on the track's continuous timeline, in `clockRate` units from the track's first
    /// frame; continues across publisher restarts and timestamp jumps.
    public var timestamp: Int64
    /// The extended RTP timestamp as sent.
    public var rtpTimestamp: Int64
    /// The sender's wall clock (Unix seconds) at this frame, once an RTCP sender report mapped it.
    public var senderTime: Double?
    /// Which of the stream's sender reports mapped `senderTime` (1 for its first, 0 before any):
    /// each report is one observation of the sender's clock, to be weighed against the others.
    public var senderReport: Int
    /// When the frame's first packet arrived here.
    public var arrival: ContinuousClock.Instant
    public var isKeyframe: Bool
    /// Set on video keyframes whose bitstream says.
    public var width: Int?
    public var height: Int?
    /// Audio: the sender's RFC 6464 level of the frame's packet, when the extension was
    /// negotiated and the packet carried it (what speaker detection reads; nothing is decoded).
    public var audioLevel: AudioLevel?

    public var kind: SDP.MediaKind { codec.kind }

    public init(mid: String?, ssrc: UInt32, codec: SDP.SupportedCodec, clockRate: Int, timestamp: Int64, rtpTimestamp: Int64,
                senderTime: Double?, senderReport: Int, arrival: ContinuousClock.Instant, isKeyframe: Bool, width: Int? = nil,
                height: Int? = nil, audioLevel: AudioLevel? = nil) {
        self.mid = mid
        self.ssrc = ssrc
        self.codec = codec
        self.clockRate = clockRate
        self.timestamp = timestamp
        self.rtpTimestamp = rtpTimestamp
        self.senderTime = senderTime
        self.senderReport = senderReport
        self.arrival = arrival
        self.isKeyframe = isKeyframe
        self.width = width
        self.height = height
        self.audioLevel = audioLevel
    }
}
