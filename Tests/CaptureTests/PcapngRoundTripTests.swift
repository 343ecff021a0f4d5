import Testing
@testable import Capture

/// What the encoder writes, the reader reads back: kinds, times, directions, comments, bytes.
struct PcapngRoundTripTests {
    static func capture(_ packets: [(CapturedPacketKind, [UInt8], Int64, Pcapng.Direction, String?)]) -> [UInt8] {
        var sink = PcapngBytes()
        sink.bytes = PcapngEncoder.fileHeader(application: "tapedeck test", participant: "p-1", name: "alice")
        for (kind, data, time, direction, comment) in packets {
            let before = sink.bytes.count
            data.withUnsafeBytes { bytes in
                if let comment {
                    Array(comment.utf8).withUnsafeBytes {
                        PcapngEncoder.enhancedPacket(kind, data: bytes, unixNanoseconds: time, direction: direction, comment: $0, into: &sink)
                    }
                } else {
                    PcapngEncoder.enhancedPacket(kind, data: bytes, unixNanoseconds: time, direction: direction, into: &sink)
                }
            }
            #expect(sink.bytes.count - before == PcapngEncoder.enhancedPacketLength(dataLength: data.count, comment: comment?.utf8.count))
        }
        return sink.bytes
    }

    static func readAll(_ bytes: [UInt8]) throws -> (packets: [CapturedPacket], reader: PcapngReader) {
        var reader = PcapngReader(bytes)
        var packets: [CapturedPacket] = []
        while let packet = try reader.next() { packets.append(packet) }
        return (packets, reader)
    }

    @Test func packetsComeBackAsWritten() throws {
        let rtp: [UInt8] = [0x80, 0x60, 0x00, 0x01] + Array(repeating: 0xAB, count: 13)  // odd length: padding
        let rtcp: [UInt8] = [0x80, 200, 0x00, 0x06] + Array(repeating: 7, count: 24)
        let sdp = Array("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n".utf8)
        let bytes = Self.capture([
            (.sessionDescription, sdp, 1_796_550_000_000_000_001, .inbound, "offer"),
            (.rtp, rtp, 1_796_550_000_123_456_789, .inbound, nil),
            (.rtcp, rtcp, 1_796_550_001_000_000_000, .inbound, nil),
            (.sessionDescription, sdp, 1_796_550_001_500_000_000, .outbound, "answer"),
        ])
        #expect(bytes.count % 4 == 0)
        let (packets, reader) = try Self.readAll(bytes)
        #expect(reader.application == "tapedeck test")
        #expect(reader.interfaces == [CaptureInterface(linkType: 252, name: "p-1", description: "alice", nanosecondsPerUnit: TimestampUnit(numerator: 1, denominator: 1))])
        #expect(packets.map(\.kind) == [.sessionDescription, .rtp, .rtcp, .sessionDescription])
        #expect(packets.map(\.dissector) == ["sdp", "rtp", "rtcp", "sdp"])
        #expect(packets.map(\.data) == [sdp, rtp, rtcp, sdp])
        #expect(packets.map(\.unixNanoseconds) == [1_796_550_000_000_000_001, 1_796_550_000_123_456_789,
                                                   1_796_550_001_000_000_000, 1_796_550_001_500_000_000])
        #expect(packets.map(\.direction) == [.inbound, .inbound, .inbound, .outbound])
        #expect(packets.map(\.comment) == ["offer", nil, nil, "answer"])
        #expect(reader.offset == bytes.count)
    }

    @Test func aCaptureCutInsideAPacketReadsUpToItAndNamesWhere() throws {
        let rtp = [UInt8](repeating: 0x80, count: 100)
        let bytes = Self.capture(Array(repeating: (.rtp, rtp, 1, .inbound, nil), count: 3))
        let packetLength = PcapngEncoder.enhancedPacketLength(dataLength: 100)
        let thirdStart = bytes.count - packetLength
        var reader = PcapngReader(Array(bytes[..<(thirdStart + 50)]))
        #expect(try reader.next() != nil)
        #expect(try reader.next() != nil)
        #expect(throws: PcapngReadError(offset: thirdStart, problem: .truncated)) { try reader.next() }
    }

    @Test func bytesSplicedIntoACaptureAreDamageAtTheirOffset() throws {
        let rtp = [UInt8](repeating: 0x80, count: 40)
        var bytes = Self.capture(Array(repeating: (.rtp, rtp, 1, .inbound, nil), count: 4))
        let secondEnd = bytes.count - 2 * PcapngEncoder.enhancedPacketLength(dataLength: 40)
        bytes.insert(contentsOf: [0xDE, 0xAD, 0xBE, 0xEF, 0x13, 0x37, 0x00, 0x01, 0x99], at: secondEnd)
        var reader = PcapngReader(bytes)
        #expect(try reader.next() != nil)
        #expect(try reader.next() != nil)
        let error = #expect(throws: PcapngReadError.self) { try reader.next() }
        #expect(error?.offset == secondEnd)
        if case .damaged = error?.problem {} else { Issue.record("not damage: \(String(describing: error))") }
    }

    @Test func aClassicPcapFileIsNamedAsSuch() {
        let classic: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0] + Array(repeating: 0, count: 16)
        var reader = PcapngReader(classic)
        #expect(throws: PcapngReadError(offset: 0, problem: .notPcapng("a classic pcap file (write pcapng)"))) { try reader.next() }
    }

    @Test func aBigEndianSectionWithMicrosecondsIsRead() throws {
        // Another tool's file: big-endian, default resolution (microseconds), LINKTYPE_RAW.
        func be32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        func be16(_ v: UInt16) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        let shb = be32(0x0A0D_0D0A) + be32(28) + be32(0x1A2B_3C4D) + be16(1) + be16(0) + be32(0xFFFF_FFFF) + be32(0xFFFF_FFFF) + be32(28)
        let idb = be32(1) + be32(20) + be16(101) + be16(0) + be32(0) + be32(20)
        let payload: [UInt8] = [0x45, 0, 0, 20, 1, 2, 3, 4]
        let epb = be32(6) + be32(40) + be32(0) + be32(0) + be32(1_500_000) + be32(8) + be32(8) + payload + be32(40)
        let (packets, reader) = try Self.readAll(shb + idb + epb)
        #expect(reader.interfaces.map(\.linkType) == [101])
        #expect(packets.count == 1)
        #expect(packets[0].kind == nil)
        #expect(packets[0].data == payload)
        #expect(packets[0].unixNanoseconds == 1_500_000_000)
    }

    @Test func timestampResolutions() {
        #expect(PcapngReader.nanosecondsPerUnit(6) == TimestampUnit(numerator: 1_000, denominator: 1))
        #expect(PcapngReader.nanosecondsPerUnit(9) == TimestampUnit(numerator: 1, denominator: 1))
        #expect(PcapngReader.nanosecondsPerUnit(12) == TimestampUnit(numerator: 1, denominator: 1_000))
        #expect(PcapngReader.nanosecondsPerUnit(0x80 | 10) == TimestampUnit(numerator: 1_000_000_000, denominator: 1_024))
        #expect(PcapngReader.nanosecondsPerUnit(19) == nil)
    }
}
