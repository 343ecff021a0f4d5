import RTC
import Testing

/// Hex with any whitespace, as the RFCs print byte dumps.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

/// RFC 5769 test vectors, from the RFC's section 2.
enum RFC5769 {
    static let shortTermPassword = "VOkJxbRl1RmTxUk/WvJxBt"
    static let request = hexBytes("""
        00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
        00 24 00 04 6e 00 01 ff
        80 29 00 08 93 2f f9 b1 51 26 3b 36
        00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
        80 28 00 04 e5 7a 3b cf
        """)
    static let ipv4Response = hexBytes("""
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96
        """)
    static let ipv6Response = hexBytes("""
        01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
        00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
        80 28 00 04 c8 fb 0b 4c
        """)
    static let longTermRequest = hexBytes("""
        00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
        00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
        00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
        00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
        00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66
        """)
}

@Suite("STUN messages")
struct StunMessageTests {
    @Test("RFC 5769 §2.1: sample request — attributes, MESSAGE-INTEGRITY and FINGERPRINT")
    func sampleRequest() throws {
        let message = try StunMessage(decoding: RFC5769.request)
        #expect(message.type == StunMessageType(method: .binding, class: .request))
        #expect(message.transactionID.description == "b7e7a701bc34d686fa87dfae")
        #expect(message.username == "evtj:h6vY")
        #expect(message.attributes.contains(.software("STUN test client")))
        #expect(message.attributes.contains(.priority(0x6e00_01ff)))
        #expect(message.attributes.contains(.iceControlled(tieBreaker: 0x932f_f9b1_5126_3b36)))
        #expect(message.hadFingerprint)
        #expect(message.hasValidIntegrity(key: StunCredentials.shortTermKey(password: RFC5769.shortTermPassword)))
        #expect(!message.hasValidIntegrity(key: StunCredentials.shortTermKey(password: "wrong")))
    }

    @Test("RFC 5769 §2.2 and §2.3: XOR-MAPPED-ADDRESS for IPv4 and IPv6")
    func sampleResponses() throws {
        let key = StunCredentials.shortTermKey(password: RFC5769.shortTermPassword)
        let v4 = try StunMessage(decoding: RFC5769.ipv4Response)
        #expect(v4.type == StunMessageType(method: .binding, class: .successResponse))
        #expect(v4.xorMappedAddress == TransportAddress(ip: IPAddress("192.0.2.1")!, port: 32853))
        #expect(v4.hasValidIntegrity(key: key))
        let v6 = try StunMessage(decoding: RFC5769.ipv6Response)
        #expect(v6.xorMappedAddress == TransportAddress(ip: IPAddress("2001:db8:1234:5678:11:2233:4455:6677")!, port: 32853))
        #expect(v6.xorMappedAddress?.description == "[2001:db8:1234:5678:11:2233:4455:6677]:32853")
        #expect(v6.hasValidIntegrity(key: key))
    }

    @Test("RFC 5769 §2.4: long-term credentials (MD5 key over username:realm:password)")
    func longTermRequest() throws {
        let message = try StunMessage(decoding: RFC5769.longTermRequest)
        #expect(message.username == "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}")
        #expect(message.attributes.contains(.realm("example.org")))
        #expect(message.attributes.contains(.nonce("f//499k954d6OL34oL9FSTvy64sA")))
        #expect(!message.hadFingerprint)
        // RFC 5769 gives the password after SASLprep ("TheMatrIX").
        let key = StunCredentials.longTermKey(username: message.username!, realm: "example.org", password: "TheMatrIX")
        #expect(message.hasValidIntegrity(key: key))
    }

    @Test("re-encoding the RFC 5769 request reproduces its integrity and fingerprint")
    func encodeMatchesVector() throws {
        let decoded = try StunMessage(decoding: RFC5769.request)
        let key = StunCredentials.shortTermKey(password: RFC5769.shortTermPassword)
        let encoded = decoded.encoded(integrityKey: key, fingerprint: true)
        // The RFC pads with spaces where we pad with zeros (RFC 8489 asks for zeros), so compare
        // after re-decoding, and check the encoder's own integrity and fingerprint verify.
        let again = try StunMessage(decoding: encoded)
        #expect(again.attributes == decoded.attributes)
        #expect(again.hasValidIntegrity(key: key))
        #expect(again.hadFingerprint)
        #expect(encoded.count == RFC5769.request.count)
    }

    @Test("message types interleave method and class bits as RFC 8489 §5")
    func messageTypes() throws {
        var generator = SystemRandomNumberGenerator()
        let cases: [(StunMethod, StunClass, UInt16)] = [
            (.binding, .request, 0x0001), (.binding, .successResponse, 0x0101), (.binding, .errorResponse, 0x0111),
            (.binding, .indication, 0x0011), (.allocate, .request, 0x0003), (.allocate, .errorResponse, 0x0113),
            (.data, .indication, 0x0017), (.send, .indication, 0x0016), (.channelBind, .successResponse, 0x0109),
            (.createPermission, .request, 0x0008), (.refresh, .request, 0x0004),
        ]
        for (method, messageClass, wire) in cases {
            let message = StunMessage(type: StunMessageType(method: method, class: messageClass),
                                      transactionID: .random(using: &generator))
            let bytes = message.encoded(fingerprint: false)
            #expect(UInt16(bytes[0]) << 8 | UInt16(bytes[1]) == wire, "\(method) \(messageClass)")
            #expect(try StunMessage(decoding: bytes).type == message.type)
        }
    }

    @Test("every attribute round-trips, IPv4 and IPv6 addresses included")
    func attributesRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let v4 = TransportAddress(ip: IPAddress("203.0.113.9")!, port: 3478)
        let v6 = TransportAddress(ip: IPAddress("fe80::1%eth0")!, port: 50_000)
        let attributes: [StunAttribute] = [
            .mappedAddress(v4), .xorMappedAddress(v6), .xorPeerAddress(v4), .xorRelayedAddress(v6),
            .username("a:b"), .realm("test.local"), .nonce("abc"), .software("tapedeck"),
            .errorCode(code: 438, reason: "Stale Nonce"), .unknownAttributes([0x0031, 0x0032]),
            .priority(1_845_501_695), .useCandidate, .iceControlled(tieBreaker: 1), .iceControlling(tieBreaker: .max),
            .lifetime(seconds: 600), .requestedTransport(protocolNumber: 17), .channelNumber(0x4001),
            .data([1, 2, 3, 4, 5]), .dontFragment, .other(type: 0xC057, value: [9, 9, 9]),
        ]
        let message = StunMessage(type: StunMessageType(method: .allocate, class: .request),
                                  transactionID: .random(using: &generator), attributes: attributes)
        let key = StunCredentials.longTermKey(username: "test", realm: "test.local", password: "test")
        let decoded = try StunMessage(decoding: message.encoded(integrityKey: key))
        #expect(decoded.attributes == attributes)
        #expect(decoded.hasValidIntegrity(key: key))
        #expect(decoded.errorCode?.code == 438)
    }

    @Test("a flipped bit anywhere fails FINGERPRINT or MESSAGE-INTEGRITY; malformed input is refused")
    func tamperingIsDetected() throws {
        let key = StunCredentials.shortTermKey(password: RFC5769.shortTermPassword)
        for index in 20..<(RFC5769.request.count - 8) {
            var tampered = RFC5769.request
            tampered[index] ^= 0x01
            // Either decoding refuses it (FINGERPRINT, structure) or integrity fails.
            if let message = try? StunMessage(decoding: tampered) {
                #expect(!message.hasValidIntegrity(key: key), "byte \(index)")
            }
        }
        #expect(throws: StunDecodingError.tooShort(3)) { try StunMessage(decoding: [0, 1, 0]) }
        var badCookie = RFC5769.request
        badCookie[4] = 0
        #expect(throws: StunDecodingError.badMagicCookie) { try StunMessage(decoding: badCookie) }
        #expect(throws: StunDecodingError.lengthMismatch(declared: 88, actual: 87)) {
            try StunMessage(decoding: Array(RFC5769.request.dropLast()))
        }
        var wrongFingerprint = RFC5769.request
        wrongFingerprint[wrongFingerprint.count - 1] ^= 0xFF
        #expect(throws: StunDecodingError.badFingerprint) { try StunMessage(decoding: wrongFingerprint) }
    }

    @Test("fuzz: mutated and random datagrams never crash the decoder")
    func fuzzDecoder() {
        var generator = FuzzRandom(seed: 5769)
        let seeds = [RFC5769.request, RFC5769.ipv4Response, RFC5769.ipv6Response, RFC5769.longTermRequest]
        var decoded = 0
        for iteration in 0..<5_000 {
            var bytes = seeds[iteration % seeds.count]
            let mutations = Int.random(in: 1...4, using: &generator)
            for _ in 0..<mutations {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<5, using: &generator) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.removeSubrange(position...)
                case 2: bytes.insert(contentsOf: [UInt8](repeating: UInt8.random(in: 0...255, using: &generator), count: 4), at: position)
                case 3 where position >= 2: bytes[2] = UInt8.random(in: 0...255, using: &generator)  // length field
                default: bytes[position] ^= 0x80
                }
                if bytes.isEmpty { break }
            }
            if let message = try? StunMessage(decoding: bytes) {
                decoded += 1
                _ = message.encoded(integrityKey: [1, 2, 3])
            }
        }
        for _ in 0..<1_000 {
            let bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? StunMessage(decoding: bytes)
        }
        #expect(decoded > 0)
    }

    @Test("RFC 7983 demultiplexing by first byte")
    func datagramKinds() {
        #expect(DatagramKind(firstByte: 0x00) == .stun)
        #expect(DatagramKind(firstByte: 0x01) == .stun)
        #expect(DatagramKind(firstByte: 22) == .dtls)
        #expect(DatagramKind(firstByte: 0x40) == .turnChannelData)
        #expect(DatagramKind(firstByte: 0x80) == .rtpOrRTCP)
        #expect(DatagramKind(firstByte: 0xBF) == .rtpOrRTCP)
        #expect(DatagramKind(firstByte: 0xC0) == .unknown)
        #expect(DatagramKind(firstByte: 4) == .unknown)
    }
}

/// The core's seeded generator, under the name the fuzz tests use.
typealias FuzzRandom = SeededRandom
