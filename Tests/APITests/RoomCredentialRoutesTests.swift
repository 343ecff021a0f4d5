import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobStoreTestSupport
import Jobs
import Testing

@testable import API

/// A job's room credentials through the API: accepted, kept for the worker, never shown again.
@Suite struct RoomCredentialRoutesTests {
    static let body = """
        {"room": "board", "signaling_url": "wss://rooms.example.com/ws", "recipe": "webm",
         "signaling_token": "eyJ.token-secret.sig", "bot_name": "Minutes",
         "ice_servers": [{"urls": "stun:stun.example.org:3478"},
                         {"urls": ["turn:turn.example.org:3478"], "username": "1800000000:bot", "credential": "turn-password"}]}
        """

    static func showsNoSecret(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in ["token-secret", "turn-password", "1800000000:bot"] {
            #expect(!text.contains(secret), "\(secret) is shown", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func secretsAreKeptButNeverReturned(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            let harness = APIHarness(store: store)
            try await harness.run { client in
                let created = try await client.send(.post, "/v1/recordings", json: Self.body)
                #expect(created.status == .created)
                Self.showsNoSecret(created.text)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(created.text.utf8)) as? [String: Any])
                #expect(json["signaling_token_set"] as? Bool == true)
                #expect(json["bot_name"] as? String == "Minutes")
                let servers = try #require(json["ice_servers"] as? [[String: Any]])
                #expect(servers.count == 2 && servers[1]["urls"] as? [String] == ["turn:turn.example.org:3478"])
                #expect(servers[1]["credential_set"] as? Bool == true && servers[1]["credential"] == nil && servers[1]["username"] == nil)

                let id = try created.job().id
                let read = try await client.send(.get, "/v1/recordings/\(id)")
                #expect(read.status == .ok)
                Self.showsNoSecret(read.text)
                let list = try await client.send(.get, "/v1/recordings")
                #expect(list.status == .ok && list.text.contains(id))
                Self.showsNoSecret(list.text)
                let cancelled = try await client.send(.delete, "/v1/recordings/\(id)")
                Self.showsNoSecret(cancelled.text)

                // The worker gets them from the store.
                let stored = try #require(try await store.job(id: id))
                #expect(stored.spec.signalingToken?.revealed == "eyJ.token-secret.sig")
                #expect(stored.spec.iceServers[1].credential?.revealed == "turn-password")
                #expect(stored.spec.iceServers[1].username == "1800000000:bot")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aWebhookOrSignalingURLOnALinkLocalOrMetadataHostIsRefusedUnlessAllowed(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            let refused = [
                (#""webhook_url": "http://169.254.169.254/latest/meta-data/""#, "webhook_url"),
                (#""webhook_url": "http://[fe80::1]:8080/hook""#, "webhook_url"),
                (#""webhook_url": "http://metadata.google.internal/computeMetadata/v1/""#, "webhook_url"),
                (#""signaling_url": "ws://169.254.10.1:8765/""#, "signaling_url"),
            ]
            try await APIHarness(store: store).run { client in
                for (field, name) in refused {
                    var body = #"{"room": "r", "recipe": "webm", "signaling_url": "wss://rooms.example.com/ws", \#(field)}"#
                    if name == "signaling_url" { body = #"{"room": "r", "recipe": "webm", \#(field)}"# }
                    let response = try await client.send(.post, "/v1/recordings", json: body)
                    #expect(response.status == .unprocessableContent, "\(field)")
                    let problem = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
                    #expect(problem["field"] as? String == name)
                    #expect((problem["detail"] as? String)?.contains("refused") == true)
                }
            }
            #expect(try await store.list(JobQuery()).jobs.isEmpty)

            var allowing = APIHarness(store: store)
            allowing.urlPolicy = try OutboundURLPolicy(allow: ["169.254.10.1"], deny: ["127.0.0.0/8"])
            try await allowing.run { client in
                let allowed = try await client.send(.post, "/v1/recordings", json: """
                    {"room": "r", "recipe": "webm", "signaling_url": "ws://169.254.10.1:8765/", "webhook_url": "http://169.254.10.1/h"}
                    """)
                #expect(allowed.status == .created)
                let loopback = try await client.send(.post, "/v1/recordings", json: """
                    {"room": "r", "recipe": "webm", "signaling_url": "wss://rooms.example.com/ws", "webhook_url": "http://127.0.0.1:9/h"}
                    """)
                #expect(loopback.status == .unprocessableContent)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func readinessSaysNotReadyWithoutInternals(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            var harness = APIHarness(store: store)
            harness.ready = { throw TestDatabaseError() }
            try await harness.run { client in
                let response = try await client.send(.get, "/readyz")
                #expect(response.status == .serviceUnavailable)
                #expect(!response.text.contains("db.internal") && !response.text.contains("password"))
            }
        }
    }
}

private struct TestDatabaseError: Error, CustomStringConvertible {
    var description: String { "connection to postgres://tapedeck:password@db.internal:5432 refused" }
}
