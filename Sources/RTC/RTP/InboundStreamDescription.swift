/// What a received stream is: fixed when its first packet is routed.
struct InboundStreamDescription {
    /// Which negotiated media section (track) the stream belongs to.
    var sectionIndex: Int
    var mid: String?
    var codec: SDP.SupportedCodec
    var payloadType: UInt8
    var clockRate: Int
    /// The sender retransmits on generic NACK.
    var nack: Bool
    /// Retransmissions come on an RTX stream (RFC 4588) rather than as resent originals.
    var retransmitsOnRTX: Bool
    var pli: Bool
    var fir: Bool
    /// The negotiated id of the RFC 6464 audio-level header extension, for audio that has it.
    var audioLevelExtensionID: UInt16? = nil
}
