import RTC
import Testing

/// Sample packets of every kind, for round trips and as fuzzing seeds.
enum RTCPSamples {
    static func reportBlock(_ index: Int) -> RTCPReportBlock {
        RTCPReportBlock(
            ssrc: 0x1000_0000 &+ UInt32(index), fractionLost: UInt8(truncatingIfNeeded: index * 7),
            cumulativeLost: Int32(index) * 1_000 - 5_000, extendedHighestSequenceNumber: 0x0001_0000 + UInt32(index),
            jitter: UInt32(index * 3), lastSenderReport: 0xAABB_0000 | UInt32(index), delaySinceLastSenderReport: 65_536)
    }

    static func reportBlocks(_ count: Int) -> [RTCPReportBlock] { (0..<count).map(reportBlock) }

    static let senderReport = RTCPSenderReport(
        senderSSRC: 0x0102_0304, ntpTimestamp: NTPTimestamp(seconds: 0xE8A1_B2C3, fraction: 0x8000_0000),
        rtpTimestamp: 0xDEAD_BEEF, packetCount: 1_000, octetCount: 123_456, reportBlocks: reportBlocks(2))

    /// 40 packets from sequence number 65530 on, wrapping: every ninth lost, gaps growing
    /// quadratically, and one arriving 90 ms early for a negative delta.
    static let transportFeedback: RTCPTransportFeedback = {
        var arrivals: [TransportPacketArrival] = []
        for index in 0..<40 {
            let squared = Int64(index * index)
            let time: Int64 = 5_000_000 + squared * 700 - (index == 20 ? 90_000 : 0)
            arrivals.append(TransportPacketArrival(
                sequenceNumber: 65_530 &+ UInt16(index), arrivalMicroseconds: index % 9 == 4 ? nil : time))
        }
        let builder = TransportFeedbackBuilder(senderSSRC: 1, mediaSSRC: 0x1234_5678)
        return builder.build(baseSequenceNumber: 65_530, feedbackPacketCount: 9, arrivals: arrivals).feedback
    }()

    static let all: [RTCPPacket] = [
        .senderReport(senderReport),
        .receiverReport(RTCPReceiverReport(senderSSRC: 0xCAFE_BABE, reportBlocks: reportBlocks(3))),
        .sourceDescription(RTCPSourceDescription(chunks: [
            RTCPSourceDescription.Chunk(ssrc: 0x0102_0304, items: [.cname("tapedeck-recorder")]),
            RTCPSourceDescription.Chunk(ssrc: 0x0506_0708, items: [
                .cname("a"), RTCPSourceDescription.Item(type: .tool, value: Array("Tapedeck".utf8)),
            ]),
            RTCPSourceDescription.Chunk(ssrc: 9, items: []),
        ])),
        .goodbye(RTCPGoodbye(ssrcs: [1, 2, 3], reasonText: "recording stopped")),
        .goodbye(RTCPGoodbye(ssrcs: [])),
        .genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [65_534, 65_535, 0, 3, 40])),
        .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 0xDEAD_BEEF)),
        .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: 1, entries: [
            RTCPFullIntraRequest.Entry(ssrc: 0xDEAD_BEEF, sequenceNumber: 3),
            RTCPFullIntraRequest.Entry(ssrc: 0xFEED_F00D, sequenceNumber: 255),
        ])),
        .receiverEstimatedMaximumBitrate(RTCPReceiverEstimatedMaximumBitrate(
            senderSSRC: 1, bitrate: 2_500_000, ssrcs: [0xDEAD_BEEF, 0xFEED_F00D])),
        .transportFeedback(transportFeedback),
        .unknown(packetType: 204, format: 3),
        .unknown(packetType: 206, format: 15),
    ]
}

/// Parses a buffer that should hold exactly one packet.
func parseSingleRTCPPacket(_ bytes: [UInt8]) throws -> RTCPPacket {
    let packets = try RTCPCompound.parse(bytes)
    try #require(packets.count == 1)
    return packets[0]
}

func serializedRTCP(_ packet: RTCPPacket) -> [UInt8] {
    var bytes: [UInt8] = []
    packet.serialize(into: &bytes)
    return bytes
}
