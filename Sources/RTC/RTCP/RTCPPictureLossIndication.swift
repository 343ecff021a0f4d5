/// Picture loss indication, PSFB FMT 1 (RFC 4585 §6.3.1): the receiver lost part of a picture
/// and asks the sender for a keyframe. It has no FCI.
public struct RTCPPictureLossIndication: Sendable, Hashable {
    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32

    public init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    /// FCI octets, which a PLI should not have, are ignored.
    init(parsing body: RTCPPacketBody) throws(RTCPParseError) {
        (senderSSRC, mediaSSRC) = try body.feedbackSSRCs()
    }

    public func serialize(into bytes: inout [UInt8]) {
        let start = bytes.beginRTCPPacket(
            count: RTCPPacketType.pictureLossFormat, packetType: RTCPPacketType.payloadSpecificFeedback)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(mediaSSRC)
        bytes.finishRTCPPacket(startingAt: start)
    }
}
