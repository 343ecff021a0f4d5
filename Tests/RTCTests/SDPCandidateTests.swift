import RTC
import Testing

@Suite("SDP ICE candidates")
struct SDPCandidateTests {
    @Test func chromiumHostCandidate() throws {
        let candidate = try #require(SDP.Candidate(parsing: "candidate:2753201854 1 udp 2122194687 192.0.2.2 48642 typ host generation 0 network-id 1"))
        #expect(candidate.foundation == "2753201854")
        #expect(candidate.component == 1)
        #expect(candidate.isUDP)
        #expect(candidate.priority == 2122194687)
        #expect(candidate.address == "192.0.2.2")
        #expect(candidate.port == 48642)
        #expect(candidate.type == .host)
        #expect(candidate.generation == 0)
        #expect(candidate.extensionValue("network-id") == "1")
        #expect(candidate.relatedAddress == nil)
        #expect(candidate.description == "candidate:2753201854 1 udp 2122194687 192.0.2.2 48642 typ host generation 0 network-id 1")
    }

    @Test func serverReflexiveWithRelatedAddress() throws {
        let candidate = try #require(SDP.Candidate(parsing: "a=candidate:1 1 UDP 1686052863 198.51.100.23 50126 typ srflx raddr 10.0.0.12 rport 50126"))
        #expect(candidate.type == .serverReflexive)
        #expect(candidate.transport == "UDP")
        #expect(candidate.isUDP)
        #expect(candidate.relatedAddress == "10.0.0.12")
        #expect(candidate.relatedPort == 50126)
        #expect(candidate.extensions.isEmpty)
        #expect(candidate.raw == "1 1 UDP 1686052863 198.51.100.23 50126 typ srflx raddr 10.0.0.12 rport 50126")
    }

    @Test func tcpRelayAndMDNS() throws {
        let tcp = try #require(SDP.Candidate(parsing: "3666125747 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 ufrag L4Nx"))
        #expect(tcp.tcpType == "active")
        #expect(tcp.usernameFragment == "L4Nx")
        #expect(!tcp.isUDP)
        let relay = try #require(SDP.Candidate(parsing: "candidate:9 1 udp 41885439 203.0.113.9 3478 typ relay raddr 198.51.100.1 rport 61000"))
        #expect(relay.type == .relay)
        let prflx = try #require(SDP.Candidate(parsing: "candidate:9 1 udp 1 203.0.113.9 3478 typ prflx"))
        #expect(prflx.type == .peerReflexive)
        let mdns = try #require(SDP.Candidate(parsing: "candidate:3355351182 1 udp 2113937151 7e5c5f0a-1111-4222-a333-444455556666.local 60473 typ host generation 0 network-cost 999"))
        #expect(mdns.isMDNS)
    }

    @Test(arguments: [
        "",
        "candidate:",
        "1 1 udp 2122194687 192.0.2.2 48642 host",
        "1 1 udp 2122194687 192.0.2.2 48642 typ",
        "1 x udp 2122194687 192.0.2.2 48642 typ host",
        "1 1 udp 99999999999 192.0.2.2 48642 typ host",
        "1 1 udp 2122194687 192.0.2.2 70000 typ host",
        "1 1 udp 2122194687 192.0.2.2 48642 typ host generation",
        "1 1 udp 2122194687 192.0.2.2 48642 typ srflx raddr 10.0.0.1 rport x",
    ])
    func malformedCandidatesAreRejected(text: String) {
        #expect(SDP.Candidate(parsing: text) == nil)
    }

    @Test func builtCandidateRoundTrips() throws {
        let built = SDP.Candidate(
            foundation: "4", priority: 1677729535, address: "203.0.113.7", port: 40000, type: .serverReflexive,
            relatedAddress: "10.0.0.7", relatedPort: 40000, extensions: [.init(name: "generation", value: "0")])
        #expect(built.raw == "4 1 udp 1677729535 203.0.113.7 40000 typ srflx raddr 10.0.0.7 rport 40000 generation 0")
        #expect(SDP.Candidate(parsing: built.description) == built)
    }
}
