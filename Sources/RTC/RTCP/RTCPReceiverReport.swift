/// A receiver report, PT 201 (RFC 3550 §6.4.2): reception report blocks from a participant that
/// does not send media. Tapedeck only receives, so this is what it sends.
public struct RTCPReceiverReport: Sendable, Hashable {
    public var senderSSRC: UInt32
    /// Blocks past the 31st are written as further RR packets (RFC 3550 §6.4.2).
    public var reportBlocks: [RTCPReportBlock]

    public init(senderSSRC: UInt32, reportBlocks: [RTCPReportBlock] = []) {
        self.senderSSRC = senderSSRC
        self.reportBlocks = reportBlocks
    }

    /// Octets after the report blocks are a profile-specific extension (§6.4.1) and are skipped.
    init(parsing body: RTCPPacketBody) throws(RTCPParseError) {
        guard body.bytes.count >= 4 else { throw body.truncated }
        senderSSRC = body.bytes.readUInt32(at: 0)
        reportBlocks = try RTCPReportBlock.blocks(count: Int(body.count), in: body, from: 4)
    }

    public func serialize(into bytes: inout [UInt8]) {
        let blocks = reportBlocks.prefix(RTCPReportBlock.maximumPerPacket)
        let start = bytes.beginRTCPPacket(count: UInt8(blocks.count), packetType: RTCPPacketType.receiverReport)
        bytes.appendUInt32(senderSSRC)
        for block in blocks { block.serialize(into: &bytes) }
        bytes.finishRTCPPacket(startingAt: start)
        RTCPReportBlock.serializeOverflow(reportBlocks.dropFirst(blocks.count), senderSSRC: senderSSRC, into: &bytes)
    }
}
