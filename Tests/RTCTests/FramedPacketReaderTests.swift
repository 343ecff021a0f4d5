import RTC
import Testing

/// RFC 4571 frames on an ICE-TCP connection: packets found by their 2-byte length whatever the
/// reads look like, 0-length frames skipped, and a frame no packet can be closing the stream.
@Suite("ICE-TCP framing (RFC 4571)")
struct FramedPacketReaderTests {
    private static let packets: [[UInt8]] = [
        RFC5769.request,                       // a STUN check, 108 bytes
        Array(repeating: 0x17, count: 1_200),  // DTLS application data
        [0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0xAA],  // a small RTP packet
    ]

    private static var stream: [UInt8] { packets.flatMap { FramedPacketWriter.frame($0)! } }

    /// Feeds `reads` in turn; returns the packets delivered.
    private func deframe(_ reads: [[UInt8]], into reader: inout FramedPacketReader) throws -> [[UInt8]] {
        var delivered: [[UInt8]] = []
        for var read in reads {
            try read.withUnsafeMutableBytes { bytes in
                try reader.receive(bytes) { delivered.append(Array($0)) }
            }
        }
        return delivered
    }

    private func deframe(_ reads: [[UInt8]]) throws -> [[UInt8]] {
        var reader = FramedPacketReader()
        return try deframe(reads, into: &reader)
    }

    @Test("a frame is the packet after its length, big-endian")
    func writes() {
        #expect(FramedPacketWriter.frame([1, 2, 3]) == [0, 3, 1, 2, 3])
        #expect(FramedPacketWriter.frame(Array(repeating: 0, count: 300))?.prefix(2) == [1, 44])
        #expect(FramedPacketWriter.frame(Array(repeating: 0, count: 65_536)) == nil)
    }

    @Test("packets coalesced in one read come out one by one")
    func coalesced() throws {
        #expect(try deframe([Self.stream]) == Self.packets)
    }

    @Test("a read per byte, and reads cutting the length prefix and the packets anywhere")
    func split() throws {
        let stream = Self.stream
        #expect(try deframe(stream.map { [$0] }) == Self.packets)
        for cut in [1, 2, 3, 50, 110, 111, 112, 1_000, stream.count - 1] {
            #expect(try deframe([Array(stream[..<cut]), Array(stream[cut...])]) == Self.packets, "cut at \(cut)")
        }
        // Three-way cuts, one inside a length prefix.
        #expect(try deframe([Array(stream[..<111]), Array(stream[111 ..< 1_313]), Array(stream[1_313...])]) == Self.packets)
    }

    @Test("packets are delivered writable, and changing one (SRTP decrypts in place) spoils nothing after it")
    func writable() throws {
        var reader = FramedPacketReader()
        var delivered: [[UInt8]] = []
        var stream = Self.stream
        try stream.withUnsafeMutableBytes { bytes in
            try reader.receive(bytes) { packet in
                delivered.append(Array(packet))
                for index in packet.indices { packet[index] = 0xFF }
            }
        }
        #expect(delivered == Self.packets)
    }

    @Test("a 0-length frame carries nothing and is skipped, whole or split")
    func emptyFrame() throws {
        let stream = [0, 0] + FramedPacketWriter.frame([7, 7])! + [0, 0]
        #expect(try deframe([stream]) == [[7, 7]])
        #expect(try deframe(stream.map { [$0] }) == [[7, 7]])
    }

    @Test("a frame longer than any packet closes the stream, saying so")
    func oversized() throws {
        var reader = FramedPacketReader(maximumPacketLength: 2_048)
        #expect(try deframe([FramedPacketWriter.frame(Array(repeating: 1, count: 2_048))!], into: &reader).count == 1)
        // An HTTP request where frames should be: "GE" is a length of 18245.
        let error = #expect(throws: FramedPacketError.self) {
            try deframe([Array("GET / HTTP/1.1\r\n".utf8)], into: &reader)
        }
        #expect(error?.description == "not an ICE-TCP stream: a frame of 18245 bytes, more than the 2048 a packet may have")
        // Found as soon as the length is in, even split.
        var other = FramedPacketReader(maximumPacketLength: 100)
        #expect(throws: FramedPacketError.self) { try deframe([[0], [101]], into: &other) }
    }
}
