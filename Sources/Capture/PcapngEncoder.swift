/// Writes the blocks of a Tapedeck capture (see `Pcapng`), little-endian.
public enum PcapngEncoder {
    /// The fixed part of an Enhanced Packet Block for a packet of `length` bytes: header (28),
    /// exported-PDU header (12), the data padded to 4, flags option (8), end of options (4),
    /// trailing length (4). A comment adds its own option.
    public static func enhancedPacketLength(dataLength length: Int, comment: Int? = nil) -> Int {
        28 + 12 + padded(length) + 8 + (comment.map { 4 + padded(min($0, maximumCommentLength)) } ?? 0) + 4 + 4
    }

    /// An option's value is at most 65,535 bytes; a longer comment is cut.
    public static let maximumCommentLength = 65_532

    /// The Section Header Block and the connection's Interface Description Block: how every
    /// capture file starts.
    public static func fileHeader(application: String, participant: String, name: String?) -> [UInt8] {
        var sink = PcapngBytes()
        block(Pcapng.BlockType.sectionHeader, into: &sink) { body in
            body.appendFileOrder(Pcapng.byteOrderMagic)
            body.appendFileOrder(1, 0)  // version 1.0
            body.appendFileOrder(0xFFFF_FFFF)  // section length: not known (-1)
            body.appendFileOrder(0xFFFF_FFFF)
            option(Pcapng.Option.userApplication, string: application, into: &body)
            option(Pcapng.Option.comment, string: "decrypted RTP and RTCP of one WebRTC connection, with its session descriptions",
                   into: &body)
            body.appendFileOrder(0)  // end of options
        }
        block(Pcapng.BlockType.interfaceDescription, into: &sink) { body in
            body.appendFileOrder(Pcapng.linkTypeUpperPDU, 0)
            body.appendFileOrder(0)  // snap length: none
            option(Pcapng.Option.interfaceName, string: participant, into: &body)
            if let name { option(Pcapng.Option.interfaceDescription, string: name, into: &body) }
            body.appendFileOrder(Pcapng.Option.timestampResolution, 1)
            body.appendFileOrder(9)  // 10^-9 s, then three bytes of padding
            body.appendFileOrder(0)
        }
        return sink.bytes
    }

    /// One packet as an Enhanced Packet Block of interface 0. `unixNanoseconds`: its arrival.
    /// Writes exactly `enhancedPacketLength(dataLength: data.count, comment:)` bytes.
    public static func enhancedPacket<Sink: PcapngByteSink>(_ kind: CapturedPacketKind, data: UnsafeRawBufferPointer,
                                                            unixNanoseconds: Int64, direction: Pcapng.Direction = .inbound,
                                                            comment: UnsafeRawBufferPointer? = nil, into sink: inout Sink) {
        let total = UInt32(enhancedPacketLength(dataLength: data.count, comment: comment?.count))
        let captured = UInt32(12 + data.count)
        let time = UInt64(bitPattern: unixNanoseconds)
        sink.appendFileOrder(Pcapng.BlockType.enhancedPacket)
        sink.appendFileOrder(total)
        sink.appendFileOrder(0)  // interface
        sink.appendFileOrder(UInt32(truncatingIfNeeded: time >> 32))
        sink.appendFileOrder(UInt32(truncatingIfNeeded: time))
        sink.appendFileOrder(captured)
        sink.appendFileOrder(captured)
        let header = kind.exportedPDUHeader
        sink.appendBigEndian(header.0)
        sink.appendBigEndian(header.1)
        sink.appendBigEndian(header.2)
        sink.append(data)
        sink.appendZeros(padded(data.count) - data.count)
        sink.appendFileOrder(Pcapng.Option.packetFlags, 4)
        sink.appendFileOrder(direction.rawValue)
        if let whole = comment {
            let comment = UnsafeRawBufferPointer(rebasing: whole.prefix(maximumCommentLength))
            sink.appendFileOrder(Pcapng.Option.comment, UInt16(comment.count))
            sink.append(comment)
            sink.appendZeros(padded(comment.count) - comment.count)
        }
        sink.appendFileOrder(0)
        sink.appendFileOrder(total)
    }

    static func padded(_ length: Int) -> Int { (length + 3) & ~3 }

    private static func option(_ code: UInt16, string: String, into body: inout PcapngBytes) {
        let utf8 = Array(string.utf8.prefix(Int(UInt16.max) - 3))
        body.appendFileOrder(code, UInt16(utf8.count))
        body.bytes += utf8
        body.appendZeros(padded(utf8.count) - utf8.count)
    }

    private static func block(_ type: UInt32, into sink: inout PcapngBytes, body write: (inout PcapngBytes) -> Void) {
        var body = PcapngBytes()
        write(&body)
        let total = UInt32(12 + body.bytes.count)
        sink.appendFileOrder(type)
        sink.appendFileOrder(total)
        sink.bytes += body.bytes
        sink.appendFileOrder(total)
    }
}
