/// One reception report block of an SR or RR (RFC 3550 §6.4.1): how one source's stream is
/// being received.
public struct RTCPReportBlock: Sendable, Hashable {
    /// The octets one block takes on the wire.
    static let length = 24

    /// SSRC of the source this block reports on.
    public var ssrc: UInt32
    /// Packets lost since the previous report, as a fixed-point fraction of 256 (§6.4.1).
    public var fractionLost: UInt8
    /// Packets lost since reception began; a signed 24-bit field, negative when duplicates
    /// outnumber losses. Values outside −8388608...8388607 are clamped when written (§A.3).
    public var cumulativeLost: Int32
    /// Highest sequence number received, with the count of its wraps in the high 16 bits.
    public var extendedHighestSequenceNumber: UInt32
    /// Interarrival jitter in RTP timestamp units (§6.4.1, §A.8).
    public var jitter: UInt32
    /// LSR: the middle 32 bits of the last SR's NTP timestamp, 0 if none arrived yet.
    public var lastSenderReport: UInt32
    /// DLSR: time since that SR arrived, in 1/65536 s.
    public var delaySinceLastSenderReport: UInt32

    public init(
        ssrc: UInt32, fractionLost: UInt8 = 0, cumulativeLost: Int32 = 0, extendedHighestSequenceNumber: UInt32 = 0,
        jitter: UInt32 = 0, lastSenderReport: UInt32 = 0, delaySinceLastSenderReport: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequenceNumber = extendedHighestSequenceNumber
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    /// Reads a block at `offset`; the caller has checked that 24 octets are there.
    init(reading bytes: UnsafeRawBufferPointer, at offset: Int) {
        ssrc = bytes.readUInt32(at: offset)
        let lossWord = bytes.readUInt32(at: offset + 4)
        fractionLost = UInt8(lossWord >> 24)
        // Sign-extend the low 24 bits.
        cumulativeLost = Int32(bitPattern: lossWord << 8) >> 8
        extendedHighestSequenceNumber = bytes.readUInt32(at: offset + 8)
        jitter = bytes.readUInt32(at: offset + 12)
        lastSenderReport = bytes.readUInt32(at: offset + 16)
        delaySinceLastSenderReport = bytes.readUInt32(at: offset + 20)
    }

    func serialize(into bytes: inout [UInt8]) {
        bytes.appendUInt32(ssrc)
        let lost = min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF)
        bytes.appendUInt32(UInt32(fractionLost) << 24 | UInt32(bitPattern: lost) & 0xFF_FFFF)
        bytes.appendUInt32(extendedHighestSequenceNumber)
        bytes.appendUInt32(jitter)
        bytes.appendUInt32(lastSenderReport)
        bytes.appendUInt32(delaySinceLastSenderReport)
    }

    /// Reads `count` blocks starting at `offset`, or throws if they do not fit.
    static func blocks(
        count: Int, in body: RTCPPacketBody, from offset: Int
    ) throws(RTCPParseError) -> [RTCPReportBlock] {
        guard offset + count * length <= body.bytes.count else {
            throw .countTooLarge(packetType: body.packetType, count: count, offset: body.offset)
        }
        return (0..<count).map { RTCPReportBlock(reading: body.bytes, at: offset + $0 * length) }
    }

    /// RFC 3550 §6.4.2: an SR or RR holds at most 31 blocks; more go into further RR packets
    /// from the same sender, appended here after the first packet.
    static func serializeOverflow(_ blocks: ArraySlice<RTCPReportBlock>, senderSSRC: UInt32, into bytes: inout [UInt8]) {
        var remaining = blocks
        while !remaining.isEmpty {
            let chunk = remaining.prefix(maximumPerPacket)
            remaining = remaining.dropFirst(chunk.count)
            RTCPReceiverReport(senderSSRC: senderSSRC, reportBlocks: Array(chunk)).serialize(into: &bytes)
        }
    }

    /// The 5-bit RC field caps the blocks of one packet.
    static let maximumPerPacket = 31
}
