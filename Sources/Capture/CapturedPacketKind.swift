/// What one captured packet holds, named in the file by the Wireshark dissector that reads it.
public enum CapturedPacketKind: Sendable, Hashable {
    /// A decrypted RTP packet, as it arrived.
    case rtp
    /// A decrypted RTCP compound packet, as it arrived.
    case rtcp
    /// A session description the connection used: the peer's (inbound) or ours (outbound), an
    /// offer or an answer (the packet's comment says which).
    case sessionDescription

    public var dissectorName: String {
        switch self {
        case .rtp: "rtp"
        case .rtcp: "rtcp"
        case .sessionDescription: "sdp"
        }
    }

    public init?(dissectorName: String) {
        switch dissectorName {
        case "rtp": self = .rtp
        case "rtcp": self = .rtcp
        case "sdp": self = .sessionDescription
        default: return nil
        }
    }

    /// The exported-PDU header before the packet: the dissector-name tag (its value padded with
    /// zeros to a multiple of 4, the length counting the padding) and the end tag. Always 12 bytes.
    var exportedPDUHeader: (UInt32, UInt32, UInt32) {
        // Tag type and length are big-endian, whatever the section's byte order.
        switch self {
        case .rtp: (0x000C_0004, 0x7274_7000, 0)  // "rtp\0"
        case .rtcp: (0x000C_0004, 0x7274_6370, 0)  // "rtcp"
        case .sessionDescription: (0x000C_0004, 0x7364_7000, 0)  // "sdp\0"
        }
    }
}
