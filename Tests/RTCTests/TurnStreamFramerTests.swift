import RTC
import Testing

/// TURN messages on a TCP or TLS stream (RFC 8656 §12.5): found by their headers, whatever the
/// reads look like, ChannelData padded to 4 bytes, and anything else closing the connection.
@Suite("TURN stream framing")
struct TurnStreamFramerTests {
    /// A Binding request with attributes (RFC 5769's sample request): 20 + 88 bytes.
    private static let stun = RFC5769.request
    /// ChannelData on channel 0x4001 carrying 5 bytes: 9 bytes, 12 on a stream.
    private static let channelData: [UInt8] = [0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]
    private static let channelDataPadded = channelData + [0, 0, 0]
    /// A Data indication as coturn sends it (no padding needed: STUN is a multiple of 4).
    private static let indication = StunMessage(
        type: StunMessageType(method: .data, class: .indication), transactionID: StunTransactionID(bytes: Array(repeating: 7, count: 12))!,
        attributes: [.xorPeerAddress(TransportAddress(ip: IPAddress("10.0.0.1")!, port: 5_000)), .data([9, 9, 9])]).encoded()

    private static var stream: [UInt8] { stun + channelDataPadded + indication }
    private static var messages: [[UInt8]] { [stun, channelData, indication] }

    /// Feeds `reads` in turn; returns the messages delivered.
    private func deframe(_ reads: [[UInt8]], into framer: inout TurnStreamFramer) throws -> [[UInt8]] {
        var delivered: [[UInt8]] = []
        for read in reads {
            try read.withUnsafeBytes { bytes in
                try framer.receive(bytes) { delivered.append(Array($0)) }
            }
        }
        return delivered
    }

    private func deframe(_ reads: [[UInt8]]) throws -> [[UInt8]] {
        var framer = TurnStreamFramer()
        return try deframe(reads, into: &framer)
    }

    @Test("messages coalesced in one read come out one by one, ChannelData without its padding")
    func coalesced() throws {
        #expect(try deframe([Self.stream]) == Self.messages)
    }

    @Test("a stream read one byte at a time gives the same messages")
    func byteByByte() throws {
        #expect(try deframe(Self.stream.map { [$0] }) == Self.messages)
    }

    @Test("split in two at every offset: messages cut anywhere, headers included, come out whole")
    func splitAnywhere() throws {
        let stream = Self.stream
        for cut in 0...stream.count {
            let delivered = try deframe([Array(stream[..<cut]), Array(stream[cut...])])
            #expect(delivered == Self.messages, "cut at \(cut)")
        }
    }

    @Test("nothing is delivered until a message is whole, and the framer carries on after it")
    func partialThenMore() throws {
        var framer = TurnStreamFramer()
        #expect(try deframe([Array(Self.stun.prefix(3))], into: &framer).isEmpty)
        #expect(try deframe([Array(Self.stun.dropFirst(3).dropLast())], into: &framer).isEmpty)
        #expect(try deframe([[Self.stun.last!] + Self.channelDataPadded], into: &framer) == [Self.stun, Self.channelData])
        #expect(try deframe([Self.indication], into: &framer) == [Self.indication])
    }

    @Test("empty ChannelData is its 4-byte header; a 4-byte payload needs no padding")
    func channelDataLengths() throws {
        let empty: [UInt8] = [0x4F, 0xFF, 0, 0]
        let four: [UInt8] = [0x40, 0x00, 0, 4, 1, 2, 3, 4]
        #expect(try deframe([empty + four + Self.stun]) == [empty, four, Self.stun])
    }

    @Test("outgoing ChannelData is padded to a multiple of 4; STUN goes as it is")
    func outgoingPadding() {
        #expect(TurnStreamFramer.framedLength(ofOutgoing: Self.channelData) == 12)
        #expect(TurnStreamFramer.framedLength(ofOutgoing: [0x40, 0x01, 0, 4, 1, 2, 3, 4]) == 8)
        #expect(TurnStreamFramer.framedLength(ofOutgoing: [0x40, 0x01, 0, 1, 1]) == 8)
        #expect(TurnStreamFramer.framedLength(ofOutgoing: Self.stun) == Self.stun.count)
        #expect(TurnStreamFramer.framedLength(ofOutgoing: Self.indication) == Self.indication.count)
    }

    @Test(arguments: [
        ([0x80, 0x60, 0x00, 0x01] as [UInt8], "neither STUN nor ChannelData"),   // RTP
        (Array("SSH-2.0-OpenSSH_9.2\r\n".utf8), "reserved channel"),               // 'S' is 0x53: channel 0x5353
        ([0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00], "magic cookie"),         // a TLS ClientHello on plain TCP
        ([0x01, 0x01, 0x00, 0x08, 0xDE, 0xAD, 0xBE, 0xEF], "magic cookie"),
        ([0x01, 0x01, 0x00, 0x06], "not a multiple of 4"),
    ])
    func garbageClosesTheStream(_ garbage: [UInt8], _ reason: String) {
        #expect {
            _ = try deframe([garbage])
        } throws: { error in
            guard let framing = error as? TurnStreamFramingError else { return false }
            return framing.reason.contains(reason) && "\(framing)".hasPrefix("not a TURN stream")
        }
    }

    @Test("garbage after good messages: the good ones are delivered, then the error")
    func garbageAfterMessages() {
        var delivered: [[UInt8]] = []
        var framer = TurnStreamFramer()
        let stream = Self.stun + [0xFF, 0, 0, 0]
        #expect(throws: TurnStreamFramingError.self) {
            try stream.withUnsafeBytes { bytes in
                try framer.receive(bytes) { delivered.append(Array($0)) }
            }
        }
        #expect(delivered == [Self.stun])
    }
}
