import RTC
import Recorder
import Testing

@Suite("A recording's peer network: servers a job adds")
struct PeerNetworkConfigurationTests {
    @Test("STUN and TURN URLs of one server entry are added to the base's, with its credential; the base is unchanged")
    func addsServers() throws {
        var base = PeerNetworkConfiguration()
        base.ice.stunServers = [TransportAddress(ip: .v4(192, 0, 2, 1), port: 3_478)]
        let added = try base.addingServer(urls: ["stun:192.0.2.2:19302", "turn:192.0.2.3:3478?transport=tcp"],
                                          username: "alice", credential: "secret")
        #expect(added.ice.stunServers == [TransportAddress(ip: .v4(192, 0, 2, 1), port: 3_478),
                                         TransportAddress(ip: .v4(192, 0, 2, 2), port: 19_302)])
        let turn = try #require(added.ice.turnServers.first)
        #expect(added.ice.turnServers.count == 1)
        #expect(turn.address == TransportAddress(ip: .v4(192, 0, 2, 3), port: 3_478))
        #expect(turn.transport == .tcp && turn.username == "alice" && turn.password == "secret")
        #expect(base.ice.stunServers.count == 1 && base.ice.turnServers.isEmpty)
    }

    @Test("A malformed URL, or a turns: server whose CA file is missing, is refused with the reason")
    func refusesBadServers() {
        let base = PeerNetworkConfiguration()
        let refusal = #expect(throws: IceServerRefusal.self) {
            try base.addingServer(urls: ["stun:192.0.2.2", "turnx:192.0.2.3"], username: nil, credential: nil)
        }
        #expect(refusal?.description.contains("turnx") == true)
        var trusting = PeerNetworkConfiguration()
        trusting.turnTLSCAFile = "/nonexistent/ca.pem"
        #expect(throws: IceServerRefusal.self) {
            try trusting.addingServer(urls: ["turns:192.0.2.3"], username: "u", credential: "p")
        }
    }

    @Test("A file's packet totals sum the streams of all its tracks")
    func packetTotals() throws {
        let file = try #require(ManifestTests.sample().participants.first?.segments.first?.files.first)
        let totals = file.packetTotals
        #expect(totals.received == 14_000 && totals.lost == 12 && totals.recovered == 230)
    }
}
