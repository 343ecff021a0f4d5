/// Packet type numbers (RFC 3550 §12.1, RFC 4585 §6.1) and feedback formats this module reads.
enum RTCPPacketType {
    /// The most octets one RTCP packet can have: its length field counts 32-bit words minus one.
    static let maximumPacketLength = 65_536 * 4

    static let senderReport: UInt8 = 200
    static let receiverReport: UInt8 = 201
    static let sourceDescription: UInt8 = 202
    static let goodbye: UInt8 = 203
    static let transportLayerFeedback: UInt8 = 205
    static let payloadSpecificFeedback: UInt8 = 206

    /// RTPFB FMT 1, generic NACK (RFC 4585 §6.2.1).
    static let genericNACKFormat: UInt8 = 1
    /// RTPFB FMT 15, transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
    static let transportFeedbackFormat: UInt8 = 15
    /// PSFB FMT 1, picture loss indication (RFC 4585 §6.3.1).
    static let pictureLossFormat: UInt8 = 1
    /// PSFB FMT 4, full intra request (RFC 5104 §4.3.1).
    static let fullIntraRequestFormat: UInt8 = 4
    /// PSFB FMT 15, application layer feedback; REMB is one (draft-alvestrand-rmcat-remb §2.2).
    static let applicationLayerFeedbackFormat: UInt8 = 15
}
