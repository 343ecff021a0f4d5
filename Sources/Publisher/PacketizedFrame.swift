import RTC

/// One encoded frame, packetized once for every connection: its RTP payloads and its place on
/// the media clock. Immutable and shared by every event loop; each connection adds its own SSRC,
/// sequence numbers, timestamp base and SRTP.
struct PacketizedFrame: Sendable {
    var kind: SDP.MediaKind
    /// RTP time since the source started, in the codec's clock (90 kHz video, 48 kHz Opus).
    var timestamp: Int64
    /// When the frame's first sample was taken. Packets are sent with this as their time, so a
    /// sender report extrapolates RTP time from the instant the timestamp stands for.
    var capturedAt: ContinuousClock.Instant
    var isKeyframe: Bool
    var payloads: [[UInt8]]
    /// Audio: the frame's level, sent in the RFC 6464 header extension where negotiated.
    var audioLevel: AudioLevel? = nil
}
