import RTC
import Testing

private func address(_ text: String, _ port: UInt16) -> TransportAddress {
    TransportAddress(ip: IPAddress(text)!, port: port)
}

/// `Candidate(sdpValue:)` reads both trickled candidates and the SDP model's `a=candidate` lines.
@Suite("ICE candidates")
struct CandidateTests {
    @Test("parses Chromium, Firefox and aiortc candidate lines and writes them back")
    func parses() throws {
        let host = try Candidate(sdpValue: "candidate:1467250027 1 udp 2122260223 192.168.1.5 46243 typ host generation 0 ufrag EsJw network-id 1")
        #expect(host.kind == .host)
        #expect(host.address == address("192.168.1.5", 46_243))
        #expect(host.priority == 2_122_260_223)
        #expect(host.ufrag == "EsJw")
        let srflx = try Candidate(sdpValue: "a=candidate:842163049 1 UDP 1686052607 203.0.113.7 61665 typ srflx raddr 10.0.1.1 rport 8998")
        #expect(srflx.relatedAddress == address("10.0.1.1", 8_998))
        let v6 = try Candidate(sdpValue: "candidate:2 1 udp 2122262783 fd00::2 55555 typ host")
        #expect(v6.address.ip.isIPv6)
        let aiortc = try Candidate(sdpValue: "candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 32935 typ host")
        #expect(aiortc.foundation == "d0bcf3d9c29a2bc887618212a1623bfa")
        #expect(try Candidate(sdpValue: host.sdpValue) == host)
        #expect(try Candidate(sdpValue: srflx.sdpValue) == srflx)
    }

    @Test("a Chromium host line: every field, and the extensions nothing reads are not written back")
    func chromiumHost() throws {
        let candidate = try Candidate(sdpValue: "candidate:2753201854 1 udp 2122194687 192.0.2.2 48642 typ host generation 0 network-id 1")
        #expect(candidate.foundation == "2753201854")
        #expect(candidate.component == 1)
        #expect(!candidate.isTCP)
        #expect(candidate.priority == 2_122_194_687)
        #expect(candidate.address == address("192.0.2.2", 48_642))
        #expect(candidate.kind == .host)
        #expect(candidate.relatedAddress == nil)
        #expect(candidate.ufrag == nil)
        #expect(candidate.sdpValue == "candidate:2753201854 1 udp 2122194687 192.0.2.2 48642 typ host")
    }

    @Test("Firefox writes UDP in upper case; the `a=` prefix is accepted")
    func firefoxServerReflexive() throws {
        let candidate = try Candidate(sdpValue: "a=candidate:1 1 UDP 1686052863 198.51.100.23 50126 typ srflx raddr 10.0.0.12 rport 50126")
        #expect(candidate.kind == .srflx)
        #expect(!candidate.isTCP)
        #expect(candidate.relatedAddress == address("10.0.0.12", 50_126))
        #expect(candidate.sdpValue == "candidate:1 1 udp 1686052863 198.51.100.23 50126 typ srflx raddr 10.0.0.12 rport 50126")
    }

    @Test("relay and peer-reflexive types, an mDNS name, and a line without any prefix")
    func relayPeerReflexiveAndMDNS() throws {
        let relay = try Candidate(sdpValue: "candidate:9 1 udp 41885439 203.0.113.9 3478 typ relay raddr 198.51.100.1 rport 61000")
        #expect(relay.kind == .relay)
        #expect(relay.relatedAddress == address("198.51.100.1", 61_000))
        let prflx = try Candidate(sdpValue: "candidate:9 1 udp 1 203.0.113.9 3478 typ prflx")
        #expect(prflx.kind == .prflx)
        #expect(prflx.relatedAddress == nil)
        let name = "7e5c5f0a-1111-4222-a333-444455556666.local"
        let mdns = try Candidate(sdpValue: "candidate:3355351182 1 udp 2113937151 \(name) 60473 typ host generation 0 network-cost 999")
        #expect(mdns.mdnsHostname == name)
        #expect(mdns.address.port == 60_473)
        #expect(try Candidate(sdpValue: mdns.sdpValue) == mdns)
        let bare = try Candidate(sdpValue: "3666125747 1 udp 2122194687 192.0.2.2 48642 typ host")
        #expect(bare.foundation == "3666125747")
    }

    @Test("TCP candidates (RFC 6544) keep their tcptype, and are written with it")
    func parsesTCP() throws {
        let active = try Candidate(sdpValue: "candidate:3666125747 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 ufrag L4Nx")
        #expect(active.tcpType == .active)
        #expect(active.isTCP)
        #expect(active.ufrag == "L4Nx")
        #expect(active.address == address("192.0.2.2", 9))
        #expect(try Candidate(sdpValue: active.sdpValue) == active)
        let firefox = try Candidate(sdpValue: "candidate:2 1 TCP 2105524479 10.0.0.12 9 typ host tcptype active")
        #expect(firefox.tcpType == .active)
        var passive = Candidate(foundation: "t0", priority: Candidate.tcpPriority(tcpType: .passive, interfacePreference: 8_000),
                                address: address("203.0.113.9", 7_881), kind: .host, ufrag: "abcd")
        passive.tcpType = .passive
        #expect(passive.sdpValue == "candidate:t0 1 tcp \(passive.priority) 203.0.113.9 7881 typ host tcptype passive generation 0 ufrag abcd")
        #expect(passive.description == "host 203.0.113.9:7881 tcp passive")
        // Below every UDP host, peer-reflexive and server-reflexive candidate: UDP wins when it works.
        #expect(passive.priority < Candidate.priority(kind: .srflx, localPreference: 0))
        #expect(passive.priority >> 24 == active.priority >> 24)
        #expect(try Candidate(sdpValue: "candidate:1 1 udp 1 192.0.2.2 5000 typ host").isTCP == false)
    }

    @Test("a candidate built from its parts is written the way Chromium writes it, and reads back the same")
    func builtCandidateRoundTrips() throws {
        let built = Candidate(foundation: "4", priority: 1_677_729_535, address: address("203.0.113.7", 40_000), kind: .srflx,
                              relatedAddress: address("10.0.0.7", 40_000), ufrag: "EsJw")
        #expect(built.sdpValue == "candidate:4 1 udp 1677729535 203.0.113.7 40000 typ srflx raddr 10.0.0.7 rport 40000 generation 0 ufrag EsJw")
        #expect(try Candidate(sdpValue: built.sdpValue) == built)
        #expect(try Candidate(sdpValue: "a=" + built.sdpValue) == built)
    }

    @Test("fields are split on the bytes: one that starts with a combining mark stays a field")
    func combiningMarkAfterSpace() throws {
        let candidate = try Candidate(sdpValue: "candidate:1 1 udp 1 192.0.2.2 5000 typ host ufrag \u{301}x")
        #expect(candidate.ufrag == "\u{301}x")
        #expect(try Candidate(sdpValue: candidate.sdpValue) == candidate)
    }

    @Test("transports we do not speak are refused as unsupported, to be skipped quietly", arguments: [
        "candidate:1 1 tcp 1518280447 192.168.1.5 9 typ host",
        "candidate:1 1 tcp 1518280447 192.168.1.5 9 typ host tcptype sideways",
        "candidate:1 1 tls 1518280447 192.168.1.5 9 typ host tcptype active",
        "candidate:1 1 ssltcp 1518280447 192.168.1.5 443 typ relay",
    ])
    func refusesUnsupportedTransports(line: String) {
        do throws(CandidateParseError) {
            let candidate = try Candidate(sdpValue: line)
            Issue.record("accepted as \(candidate)")
        } catch {
            #expect(error.isUnsupportedTransport)
        }
    }

    @Test("malformed lines are refused with a reason", arguments: [
        "",
        "candidate:",
        "candidate:1 1 udp",
        "1 1 udp 2122194687 192.0.2.2 48642 host",
        "1 1 udp 2122194687 192.0.2.2 48642 typ",
        "1 x udp 2122194687 192.0.2.2 48642 typ host",
        "1 0 udp 2122194687 192.0.2.2 48642 typ host",
        "1 257 udp 2122194687 192.0.2.2 48642 typ host",
        "1 +1 udp 2122194687 192.0.2.2 48642 typ host",
        "1 1 udp 99999999999 192.0.2.2 48642 typ host",
        "1 1 udp notanumber 192.168.1.5 9 typ host",
        "1 1 udp 2122194687 192.0.2.2 70000 typ host",
        "1 1 udp 2122194687 192.0.2.2 -1 typ host",
        "1 1 udp 1 not-an-address 9 typ host",
        "1 1 udp 1 192.168.1.5 9 typ bogus",
        "1 1 udp 2122194687 192.0.2.2 48642 typ host generation",
        "1 1 udp 2122194687 192.0.2.2 48642 typ srflx raddr 10.0.0.1 rport x",
        "candidate:a=1 1 udp 2122194687 192.0.2.2 48642 typ host",
        "candidate:candidate:1 1 udp 2122194687 192.0.2.2 48642 typ host",
        "candidate:123456789012345678901234567890123 1 udp 2122194687 192.0.2.2 48642 typ host",
        " candidate:1 1 udp 2122194687 192.0.2.2 48642 typ host",
    ])
    func refusesMalformed(line: String) {
        do throws(CandidateParseError) {
            let candidate = try Candidate(sdpValue: line)
            Issue.record("accepted as \(candidate)")
        } catch {
            #expect(!error.isUnsupportedTransport)
            #expect(!error.reason.isEmpty)
        }
    }

    @Test("fuzz: mutated candidate lines never crash the parser, and what it accepts reads back the same")
    func fuzz() throws {
        var random = SeededRandom(seed: 8445)
        let seed = Array("candidate:842163049 1 udp 1686052607 203.0.113.7 61665 typ srflx raddr 10.0.1.1 rport 8998 generation 0 ufrag abcd".utf8)
        let alphabet = Array(" :.0123456789abcdefudptyphostrelay-\u{0}".utf8)
        var parsed = 0
        for _ in 0..<20_000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[position] = alphabet.randomElement(using: &random)!
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
                }
            }
            guard let candidate = try? Candidate(sdpValue: String(decoding: bytes, as: UTF8.self)) else { continue }
            parsed += 1
            #expect(try Candidate(sdpValue: candidate.sdpValue) == candidate)
        }
        #expect(parsed > 0)
    }
}
