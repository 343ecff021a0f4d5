/// Properties of one assembled frame; its bytes are passed alongside as a borrowed buffer.
public struct AssembledFrame: Sendable, Hashable {
    public var codec: SDP.SupportedCodec
    /// The extended RTP timestamp of the frame, as the caller passed it.
    public var timestamp: Int64
    /// Extended sequence numbers of the frame's first and last packets, as the caller passed them.
    public var firstSequence: Int64
    public var lastSequence: Int64
    /// VP8 P=0, VP9 keyframe, H.264 IDR (NAL type 5); always true for Opus.
    public var isKeyframe: Bool
    /// Every packet of the frame was there, in order.
    public var isComplete: Bool
    /// For video keyframes, when the bitstream says (VP8 keyframe header, VP9 scalability structure
    /// or uncompressed header, H.264 SPS).
    public var width: Int?
    public var height: Int?

    public init(codec: SDP.SupportedCodec, timestamp: Int64, firstSequence: Int64, lastSequence: Int64,
                isKeyframe: Bool, isComplete: Bool, width: Int? = nil, height: Int? = nil) {
        self.codec = codec
        self.timestamp = timestamp
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.isKeyframe = isKeyframe
        self.isComplete = isComplete
        self.width = width
        self.height = height
    }
}
