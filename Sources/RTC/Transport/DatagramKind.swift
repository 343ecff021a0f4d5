/// What a datagram on a WebRTC port carries, told apart by its first byte (RFC 7983 §7):
/// STUN and TURN ChannelData, DTLS, and SRTP/SRTCP share one port when BUNDLE and rtcp-mux are used.
public enum DatagramKind: Sendable, Hashable {
    case stun
    case dtls
    case rtpOrRTCP
    case turnChannelData
    case unknown

    @inline(__always)
    public init(firstByte: UInt8) {
        switch firstByte {
        case 0...3: self = .stun
        case 20...63: self = .dtls
        case 64...79: self = .turnChannelData
        case 128...191: self = .rtpOrRTCP
        default: self = .unknown
        }
    }
}
