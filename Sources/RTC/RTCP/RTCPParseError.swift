/// Why a compound RTCP packet was rejected. Offsets are those of the offending packet's header
/// within the compound, so a log line can point at the bytes.
public enum RTCPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No bytes at all: a compound packet holds at least one packet (RFC 3550 §6.1).
    case empty
    /// Fewer than the 4 octets of a common header left.
    case truncatedHeader(offset: Int)
    /// The version field is not 2 (RFC 3550 §6.4.1).
    case unsupportedVersion(UInt8, offset: Int)
    /// The length field claims more octets than the buffer has left.
    case lengthBeyondBuffer(offset: Int, declaredLength: Int, available: Int)
    /// The padding bit is set but the last octet's count is zero or runs past the header
    /// (RFC 3550 §6.4.1: the count includes itself, so it is at least 1).
    case invalidPadding(offset: Int, paddingLength: Int)
    /// The report or source count (RC/SC) names more entries than the packet holds.
    case countTooLarge(packetType: UInt8, count: Int, offset: Int)
    /// The packet is shorter than its fixed fields (SR sender info, feedback SSRCs, a FIR entry…).
    case truncatedPacket(packetType: UInt8, format: UInt8, offset: Int)
    /// An SDES item runs past the packet, or a chunk has no terminating null octet (RFC 3550 §6.5).
    case malformedSourceDescription(offset: Int)
    /// A REMB message shorter than its fields or its SSRC list (draft-alvestrand-rmcat-remb §2.2).
    case truncatedREMB(offset: Int)
    /// Transport-wide feedback whose chunks or receive deltas run past the packet.
    case truncatedTransportFeedback(offset: Int)
    /// Transport-wide feedback with the reserved packet status symbol 3 for a reported packet.
    case reservedTransportFeedbackSymbol(offset: Int)

    public var description: String {
        switch self {
        case .empty:
            "RTCP: empty buffer"
        case .truncatedHeader(let offset):
            "RTCP: fewer than 4 octets for a header at offset \(offset)"
        case .unsupportedVersion(let version, let offset):
            "RTCP: version \(version) at offset \(offset), expected 2"
        case .lengthBeyondBuffer(let offset, let declaredLength, let available):
            "RTCP: packet at offset \(offset) declares \(declaredLength) octets, only \(available) left"
        case .invalidPadding(let offset, let paddingLength):
            "RTCP: invalid padding count \(paddingLength) in packet at offset \(offset)"
        case .countTooLarge(let packetType, let count, let offset):
            "RTCP: packet type \(packetType) at offset \(offset) cannot hold its count of \(count)"
        case .truncatedPacket(let packetType, let format, let offset):
            "RTCP: packet type \(packetType) (count/format \(format)) at offset \(offset) is truncated"
        case .malformedSourceDescription(let offset):
            "RTCP: malformed SDES items in packet at offset \(offset)"
        case .truncatedREMB(let offset):
            "RTCP: truncated REMB in packet at offset \(offset)"
        case .truncatedTransportFeedback(let offset):
            "RTCP: truncated transport-wide feedback in packet at offset \(offset)"
        case .reservedTransportFeedbackSymbol(let offset):
            "RTCP: reserved packet status symbol in transport-wide feedback at offset \(offset)"
        }
    }
}
