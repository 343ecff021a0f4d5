import RTC
import RTCNIO
import Testing

@Suite("ICE server URLs")
struct IceServerURLTests {
    @Test("turn: is UDP unless ?transport=tcp; turns: is TLS on 5349 by default, named for verification")
    func transports() throws {
        #expect(try IceServerURL(parsing: "turn:10.0.0.1").turnTransport() == .udp)
        #expect(try IceServerURL(parsing: "turn:10.0.0.1:3478?transport=udp").turnTransport() == .udp)
        let tcp = try IceServerURL(parsing: "turn:turn.example.org:443?transport=tcp")
        #expect(tcp.turnTransport() == .tcp && tcp.port == 443)
        #expect("\(tcp)" == "turn:turn.example.org:443?transport=tcp")
        let tls = try IceServerURL(parsing: "turns:turn.example.org")
        #expect(tls.port == 5_349 && tls.overTCP)
        #expect(tls.turnTransport(trustedCAFile: "/ca.pem") == .tls(TurnTLS(serverName: "turn.example.org", trustedCAFile: "/ca.pem")))
        #expect(try IceServerURL(parsing: "TURNS:[2001:db8::1]:443?transport=tcp").turnTransport()
            == .tls(TurnTLS(serverName: "2001:db8::1")))
        #expect(try IceServerURL(parsing: "stun:10.0.0.1").port == 3_478)
    }

    @Test(arguments: ["turns:turn.example.org?transport=udp", "turn:a?transport=sctp", "stun:a?transport=tcp", "turnx:a", "turn:"])
    func refused(_ text: String) {
        #expect(throws: IceServerURLError.self) { try IceServerURL(parsing: text) }
    }

    @Test("a TURN server from a URL carries its transport; a missing CA file is refused up front")
    func turnServer() throws {
        let server = try IceServerURL(parsing: "turn:127.0.0.1:3478?transport=tcp").turnServer(username: "u", password: "p")
        #expect(server.transport == .tcp && server.address.port == 3_478)
        #expect(throws: IceServerURLError.self) {
            try IceServerURL(parsing: "turns:127.0.0.1").turnServer(username: "u", password: "p", trustedCAFile: "/nonexistent/ca.pem")
        }
        #expect(throws: IceServerURLError.self) { try IceServerURL(parsing: "stun:127.0.0.1").turnServer(username: "u", password: "p") }
    }
}
