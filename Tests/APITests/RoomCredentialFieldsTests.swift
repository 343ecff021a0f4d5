import Foundation
import HTTPTypes
import Jobs
import Testing

@testable import API

@Suite struct RoomCredentialFieldsTests {
    func refusal(_ extra: String) -> APIProblem? {
        let body = #"{"room": "r", "signaling_url": "wss://rooms.example.com/ws", "recipe": "webm", \#(extra)}"#
        do {
            _ = try CreateRecordingRequest.parse(Data(body.utf8), recipes: .fixture)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheCredentials() throws {
        let body = """
            {"room": "r", "signaling_url": "wss://rooms.example.com/ws", "recipe": "webm", "signaling_token": "abc.def.ghi",
             "bot_name": "Scribe", "ice_servers": [{"urls": ["turn:10.0.0.1:3478", "stun:10.0.0.1"], "username": "u", "credential": "p"}]}
            """
        let spec = try CreateRecordingRequest.parse(Data(body.utf8), recipes: .fixture).spec
        #expect(spec.signalingToken == SecretText("abc.def.ghi"))
        #expect(spec.botName == "Scribe")
        #expect(spec.iceServers == [RoomIceServer(urls: ["turn:10.0.0.1:3478", "stun:10.0.0.1"], username: "u", credential: SecretText("p"))])
    }

    @Test("TURN over TCP and TLS are accepted, with credentials", arguments: [
        "turns:turn.example.org", "turns:turn.example.org:443?transport=tcp", "turn:10.0.0.1:3478?transport=tcp",
    ])
    func acceptsStreamTransports(_ url: String) {
        #expect(refusal(#""ice_servers": [{"urls": "\#(url)", "username": "u", "credential": "p"}]"#) == nil)
    }

    @Test(arguments: [
        (#""signaling_token": """#, "signaling_token"),
        (#""signaling_token": 42"#, "signaling_token"),
        (#""bot_name": """#, "bot_name"),
        (#""ice_servers": {"urls": "stun:a"}"#, "ice_servers"),
        (#""ice_servers": [{"urls": "http://a"}]"#, "ice_servers"),
        (#""ice_servers": [{"urls": "turn:a:3478"}]"#, "ice_servers"),
        (#""ice_servers": [{"urls": "turns:a:5349"}]"#, "ice_servers"),
        (#""ice_servers": [{"urls": "turns:a:5349?transport=udp", "username": "u", "credential": "p"}]"#, "ice_servers"),
        (#""ice_servers": [{"urls": [], "username": "u"}]"#, "ice_servers"),
        (#""ice_servers": [{"url": "stun:a"}]"#, "ice_servers"),
    ])
    func refusesBadCredentialsNamingTheFieldAndNotTheSecret(_ extra: String, _ field: String) throws {
        let problem = try #require(refusal(extra))
        #expect(problem.status == .unprocessableContent)
        #expect(problem.field == field)
    }

    @Test func aRefusedCredentialIsNotEchoed() throws {
        let problem = try #require(refusal(#""ice_servers": [{"urls": "turn:a:3478", "username": "u", "credential": 7}]"#))
        #expect(problem.detail.contains("credential") && !problem.detail.contains("7"))
    }
}
