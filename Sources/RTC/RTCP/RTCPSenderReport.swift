/// A sender report, PT 200 (RFC 3550 §6.4.1): a sender's NTP and RTP clocks at one instant, its
/// send counts, and reception report blocks if it also receives.
public struct RTCPSenderReport: Sendable, Hashable {
    public var senderSSRC: UInt32
    /// Wall-clock time of this report.
    public var ntpTimestamp: NTPTimestamp
    /// The same instant on the RTP clock of the sender's stream, for lip sync (§6.4.1).
    public var rtpTimestamp: UInt32
    /// RTP data packets sent since starting, wrapping.
    public var packetCount: UInt32
    /// RTP payload octets sent since starting, wrapping.
    public var octetCount: UInt32
    /// Blocks past the 31st are written as further RR packets (RFC 3550 §6.4.2).
    public var reportBlocks: [RTCPReportBlock]

    public init(
        senderSSRC: UInt32, ntpTimestamp: NTPTimestamp, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
        reportBlocks: [RTCPReportBlock] = []
    ) {
        self.senderSSRC = senderSSRC
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
    }

    /// Octets after the common header before the first report block.
    private static let senderInfoLength = 24

    /// Octets after the report blocks are a profile-specific extension (§6.4.1) and are skipped.
    init(parsing body: RTCPPacketBody) throws(RTCPParseError) {
        guard body.bytes.count >= Self.senderInfoLength else { throw body.truncated }
        senderSSRC = body.bytes.readUInt32(at: 0)
        ntpTimestamp = NTPTimestamp(rawValue: body.bytes.readUInt64(at: 4))
        rtpTimestamp = body.bytes.readUInt32(at: 12)
        packetCount = body.bytes.readUInt32(at: 16)
        octetCount = body.bytes.readUInt32(at: 20)
        reportBlocks = try RTCPReportBlock.blocks(count: Int(body.count), in: body, from: Self.senderInfoLength)
    }

    public func serialize(into bytes: inout [UInt8]) {
        let blocks = reportBlocks.prefix(RTCPReportBlock.maximumPerPacket)
        let start = bytes.beginRTCPPacket(count: UInt8(blocks.count), packetType: RTCPPacketType.senderReport)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(ntpTimestamp.seconds)
        bytes.appendUInt32(ntpTimestamp.fraction)
        bytes.appendUInt32(rtpTimestamp)
        bytes.appendUInt32(packetCount)
        bytes.appendUInt32(octetCount)
        for block in blocks { block.serialize(into: &bytes) }
        bytes.finishRTCPPacket(startingAt: start)
        RTCPReportBlock.serializeOverflow(reportBlocks.dropFirst(blocks.count), senderSSRC: senderSSRC, into: &bytes)
    }
}
