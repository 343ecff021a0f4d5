import RTC
import Testing

/// Bytes captured on a veth link from Chromium 156's mDNS responder (its name for a host
/// candidate's address 10.213.252.2), answering the queries `MulticastDNSMessage.query` writes.
enum ChromiumMulticastDNS {
    static let name = "dd1c5f51-3b9f-437e-bad4-b4946839fa35.local"
    static let address = IPAddress("10.213.252.2")!
    /// Our A query for `name`: ID 0, no flags, one question, class IN.
    static let query = bytes("000000000001000000000000"
        + "2464643163356635312d336239662d343337652d626164342d623439343638333966613335056c6f63616c00" + "00010001")
    /// The answer, multicast to 224.0.0.251:5353: A record (class IN with cache-flush, TTL 120)
    /// and an NSEC additional record for the same name, compressed to a pointer.
    static let answer = bytes("000084000000000100000001"
        + "2464643163356635312d336239662d343337652d626164342d623439343638333966613335056c6f63616c00"
        + "000180010000007800040ad5fc02"
        + "2464643163356635312d336239662d343337652d626164342d623439343638333966613335056c6f63616c00"
        + "002f8001000000780005c046000140")
    /// The answer to an AAAA query for the same (IPv4) name: an NSEC record saying there is no
    /// AAAA, and the A record as additional.
    static let negativeAnswerToAAAA = bytes("000084000000000100000001"
        + "2464643163356635312d336239662d343337652d626164342d623439343638333966613335056c6f63616c00"
        + "002f8001000000780005c00c000140"
        + "2464643163356635312d336239662d343337652d626164342d623439343638333966613335056c6f63616c00"
        + "000180010000007800040ad5fc02")

    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }
}

@Suite("Multicast DNS messages")
struct MulticastDNSMessageTests {
    @Test("writes the one-shot A query Chromium's responder answers")
    func writesQuery() throws {
        #expect(try MulticastDNSMessage.query(for: ChromiumMulticastDNS.name, type: .a) == ChromiumMulticastDNS.query)
        #expect(try MulticastDNSMessage.query(for: ChromiumMulticastDNS.name + ".", type: .a) == ChromiumMulticastDNS.query)
        let decoded = try MulticastDNSMessage(decoding: ChromiumMulticastDNS.query)
        #expect(!decoded.isResponse)
        #expect(decoded.questions == [.init(name: ChromiumMulticastDNS.name, type: .a)])
    }

    @Test("reads the address out of Chromium's answer, and out of its negative answer's additional section")
    func readsChromiumAnswers() throws {
        let expected = [MulticastDNSMessage.AddressRecord(name: ChromiumMulticastDNS.name, address: ChromiumMulticastDNS.address, ttl: 120)]
        let answer = try MulticastDNSMessage(decoding: ChromiumMulticastDNS.answer)
        #expect(answer.isResponse)
        #expect(answer.questions.isEmpty)
        #expect(answer.addressRecords == expected)
        #expect(try MulticastDNSMessage(decoding: ChromiumMulticastDNS.negativeAnswerToAAAA).addressRecords == expected)
    }

    @Test("follows compression pointers as in RFC 1035 §4.1.4 (F.ISI.ARPA, FOO.F.ISI.ARPA, ARPA)")
    func decompressesNames() throws {
        // Header: a response with 4 answers. Then A records whose names are F.ISI.ARPA in full
        // (at offset 12), FOO and a pointer to it, a pointer into its middle (ARPA), and a
        // pointer to the FOO name (a pointer to a name that ends in a pointer).
        var message: [UInt8] = [0, 0, 0x84, 0, 0, 0, 0, 4, 0, 0, 0, 0]
        func record(_ name: [UInt8], _ address: UInt8) -> [UInt8] { name + [0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, address] }
        message += record([1, 0x46, 3, 0x49, 0x53, 0x49, 4, 0x41, 0x52, 0x50, 0x41, 0], 1)  // F.ISI.ARPA at 12
        let fooOffset = UInt8(message.count)
        message += record([3, 0x46, 0x4F, 0x4F, 0xC0, 12], 2)  // FOO + pointer to F.ISI.ARPA
        message += record([0xC0, 12 + 6], 3)  // pointer to ARPA inside the first name
        message += record([0xC0, fooOffset], 4)
        let names = try MulticastDNSMessage(decoding: message).addressRecords.map { "\($0.name) \($0.address)" }
        #expect(names == ["F.ISI.ARPA 192.0.2.1", "FOO.F.ISI.ARPA 192.0.2.2", "ARPA 192.0.2.3", "FOO.F.ISI.ARPA 192.0.2.4"])
    }

    @Test("refuses loops, forward pointers, truncation, unknown label types and bad address lengths")
    func refusesMalformed() {
        let header: [UInt8] = [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0]
        let tail: [UInt8] = [0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]
        let bad: [String: [UInt8]] = [
            "pointer to itself": header + [0xC0, 12] + tail,
            "pointer forward": header + [0xC0, 14, 0] + tail,
            "loop through a label": header + [1, 0x61, 0xC0, 12] + tail,
            "extended label type": header + [0x41, 0] + tail,
            "truncated record": header + [0] + tail.dropLast(2),
            "truncated header": [0, 0, 0x84],
            "A record with 5 bytes": header + [0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 1, 2, 3, 4, 5],
            "name over 255 bytes": header + Array(repeating: [63] + Array(repeating: 0x61, count: 63), count: 5).flatMap { $0 } + [0] + tail,
        ]
        for (what, bytes) in bad {
            #expect(throws: MulticastDNSError.self, "\(what)") { try MulticastDNSMessage(decoding: bytes) }
        }
    }

    @Test("refuses to write names that are not DNS names")
    func refusesBadNames() {
        for name in ["a..local", "", String(repeating: "x", count: 64) + ".local",
                     Array(repeating: String(repeating: "y", count: 60), count: 5).joined(separator: ".")] {
            #expect(throws: MulticastDNSError.self, "\(name.prefix(20))") { try MulticastDNSMessage.query(for: name, type: .a) }
        }
    }

    @Test("fuzz: mutated answers and random bytes never crash or hang the decoder")
    func fuzz() {
        var random = SeededRandom(seed: 6762)
        let seeds = [ChromiumMulticastDNS.answer, ChromiumMulticastDNS.negativeAnswerToAAAA, ChromiumMulticastDNS.query]
        var decoded = 0
        for iteration in 0..<3_000 {
            var bytes: [UInt8]
            if iteration % 10 == 0 {
                bytes = (0..<Int.random(in: 0...80, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = seeds[iteration % seeds.count]
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    guard !bytes.isEmpty else { break }
                    let position = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<4, using: &random) {
                    case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes[position] = [0x00, 0x3F, 0xC0, 0xFF, 0x0C].randomElement(using: &random)!
                    case 2: bytes.removeSubrange(position...)
                    default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
                    }
                }
            }
            if (try? MulticastDNSMessage(decoding: bytes)) != nil { decoded += 1 }
        }
        #expect(decoded > 100)
    }
}
