/// One packet of a compound RTCP packet (RFC 3550 §6.1), as the receive pipeline reads and writes
/// them. Anything this module does not model is kept as `.unknown` so a compound that also carries,
/// say, XR or APP packets still yields the packets that matter.
public enum RTCPPacket: Sendable, Hashable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    case sourceDescription(RTCPSourceDescription)
    case goodbye(RTCPGoodbye)
    case genericNACK(RTCPGenericNACK)
    case pictureLossIndication(RTCPPictureLossIndication)
    case fullIntraRequest(RTCPFullIntraRequest)
    case receiverEstimatedMaximumBitrate(RTCPReceiverEstimatedMaximumBitrate)
    case transportFeedback(RTCPTransportFeedback)
    /// A packet type, or a feedback format, this module does not read. Its body is dropped;
    /// serializing it writes an empty packet of that type.
    case unknown(packetType: UInt8, format: UInt8)

    /// Appends this packet, header and all, with its length field computed.
    public func serialize(into bytes: inout [UInt8]) {
        switch self {
        case .senderReport(let report): report.serialize(into: &bytes)
        case .receiverReport(let report): report.serialize(into: &bytes)
        case .sourceDescription(let description): description.serialize(into: &bytes)
        case .goodbye(let goodbye): goodbye.serialize(into: &bytes)
        case .genericNACK(let nack): nack.serialize(into: &bytes)
        case .pictureLossIndication(let indication): indication.serialize(into: &bytes)
        case .fullIntraRequest(let request): request.serialize(into: &bytes)
        case .receiverEstimatedMaximumBitrate(let estimate): estimate.serialize(into: &bytes)
        case .transportFeedback(let feedback): feedback.serialize(into: &bytes)
        case .unknown(let packetType, let format):
            let start = bytes.beginRTCPPacket(count: format, packetType: packetType)
            bytes.finishRTCPPacket(startingAt: start)
        }
    }

    /// Reads one packet's body; the compound parser has already checked the header and padding.
    static func parse(_ body: RTCPPacketBody) throws(RTCPParseError) -> RTCPPacket {
        switch (body.packetType, body.count) {
        case (RTCPPacketType.senderReport, _):
            return .senderReport(try RTCPSenderReport(parsing: body))
        case (RTCPPacketType.receiverReport, _):
            return .receiverReport(try RTCPReceiverReport(parsing: body))
        case (RTCPPacketType.sourceDescription, _):
            return .sourceDescription(try RTCPSourceDescription(parsing: body))
        case (RTCPPacketType.goodbye, _):
            return .goodbye(try RTCPGoodbye(parsing: body))
        case (RTCPPacketType.transportLayerFeedback, RTCPPacketType.genericNACKFormat):
            return .genericNACK(try RTCPGenericNACK(parsing: body))
        case (RTCPPacketType.transportLayerFeedback, RTCPPacketType.transportFeedbackFormat):
            return .transportFeedback(try RTCPTransportFeedback(parsing: body))
        case (RTCPPacketType.payloadSpecificFeedback, RTCPPacketType.pictureLossFormat):
            return .pictureLossIndication(try RTCPPictureLossIndication(parsing: body))
        case (RTCPPacketType.payloadSpecificFeedback, RTCPPacketType.fullIntraRequestFormat):
            return .fullIntraRequest(try RTCPFullIntraRequest(parsing: body))
        case (RTCPPacketType.payloadSpecificFeedback, RTCPPacketType.applicationLayerFeedbackFormat):
            // FMT 15 is any application's feedback; only the "REMB" identifier makes it a REMB.
            if let estimate = try RTCPReceiverEstimatedMaximumBitrate(parsingIfREMB: body) {
                return .receiverEstimatedMaximumBitrate(estimate)
            }
            return .unknown(packetType: body.packetType, format: body.count)
        default:
            return .unknown(packetType: body.packetType, format: body.count)
        }
    }
}
