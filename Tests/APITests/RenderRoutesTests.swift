import Foundation
import HTTPTypes
import HummingbirdTesting
import Jobs
import JobStoreTestSupport
import Testing

@testable import API

/// `POST /v1/recordings/{id}/renders` through the real stores: a render job of a recording that
/// has ended, and every refusal with nothing queued.
@Suite(.serialized) struct RenderRoutesTests {
    @Test(arguments: StoreBackend.allCases)
    func aRenderOfAnEndedRecordingIsAQueuedJobOfItsRoom(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            let harness = APIHarness(store: store)
            try await harness.run { client in
                let source = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody).job()

                // Not ended yet: nothing to render.
                let early = try await client.send(.post, "/v1/recordings/\(source.id)/renders", json: #"{"recipe": "mp4"}"#)
                #expect(early.status == .conflict)
                #expect(try early.problem().title == "Recording cannot be rendered")

                _ = try await store.cancel(id: source.id, now: harness.clock.now)
                let response = try await client.send(.post, "/v1/recordings/\(source.id)/renders", json: """
                    {"recipe": "mp4", "webhook_url": "https://hooks.example.com/r", "metadata": {"why": "mp4 for the editor"}}
                    """)
                #expect(response.status == .created)
                let render = try response.job()
                #expect(response.headers[.location] == "/v1/recordings/\(render.id)")
                #expect(render.state == .queued && render.cpuCost == CreateRenderRequest.cpuCost && render.id != source.id)
                #expect(render.spec == RecordingJobSpec(
                    room: source.spec.room, signalingURL: source.spec.signalingURL, recipe: "mp4",
                    webhookURL: "https://hooks.example.com/r", metadata: ["why": "mp4 for the editor"], renderOf: source.id))
                let json = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
                #expect(json["render_of"] as? String == source.id)
                #expect(try await store.job(id: render.id) == render)

                // A render keeps no capture: render the recording instead.
                _ = try await store.cancel(id: render.id, now: harness.clock.now)
                let again = try await client.send(.post, "/v1/recordings/\(render.id)/renders", json: #"{"recipe": "webm"}"#)
                #expect(again.status == .conflict)
                #expect(try again.problem().detail.contains("render recording \(source.id) instead"))

                // Purged: the captures went with the files.
                _ = try await store.markFilesPurged(id: source.id, now: harness.clock.now)
                let purged = try await client.send(.post, "/v1/recordings/\(source.id)/renders", json: #"{"recipe": "webm"}"#)
                #expect(purged.status == .conflict)
                #expect(try purged.problem().detail.contains("purged"))
                #expect(try await store.list(JobQuery()).jobs.count == 2)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func everyBadRenderRequestIsRefusedAndQueuesNothing(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            let harness = APIHarness(store: store)
            try await harness.run { client in
                let source = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody).job()
                _ = try await store.cancel(id: source.id, now: harness.clock.now)
                let cases: [(path: String, body: String, status: HTTPResponse.Status, title: String, field: String?)] = [
                    ("/v1/recordings/no-such-recording/renders", #"{"recipe": "webm"}"#, .notFound, "Recording not found", nil),
                    ("/v1/recordings/\(source.id)/renders", #"{"recipe": "mkv"}"#, .unprocessableContent, "Unknown recipe", "recipe"),
                    ("/v1/recordings/\(source.id)/renders", #"{}"#, .unprocessableContent, "Missing field", "recipe"),
                    ("/v1/recordings/\(source.id)/renders", #"{"recipe": "webm", "room": "r"}"#, .unprocessableContent,
                     "Unknown field", "room"),
                    ("/v1/recordings/\(source.id)/renders", #"{"recipe": "webm", "webhook_url": "ftp://h"}"#, .unprocessableContent,
                     "Invalid field", "webhook_url"),
                    ("/v1/recordings/\(source.id)/renders", #"{"recipe": "webm""#, .badRequest, "Malformed JSON", nil),
                ]
                for item in cases {
                    let response = try await client.send(.post, item.path, json: item.body)
                    #expect(response.status == item.status, "\(item.body)")
                    let problem = try response.problem()
                    #expect(problem.title == item.title && problem.field == item.field, "\(item.body): \(problem.detail)")
                }
                #expect(try await store.list(JobQuery()).jobs.count == 1)
            }
        }
    }
}
