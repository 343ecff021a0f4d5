import Foundation
import HTTPTypes
import HummingbirdTesting
import Jobs
import JobStoreTestSupport
import Testing

@testable import API

/// Authentication, the probes, metrics, the document, and requests for what is not served.
/// They touch the store little, so they run on SQLite only.
@Suite(.serialized) struct OperationRoutesTests {
    struct NotReady: Error, CustomStringConvertible {
        var description: String { "the job database is migrating" }
    }

    @Test func withATokenOnlyTheProbesAndTheDocumentAreOpen() async throws {
        try await StoreBackend.sqlite.withStore { store in
            var harness = APIHarness(store: store)
            harness.token = "s3cret"
            try await harness.run { client in
                for route in APIRoute.allCases {
                    let path = route.path.replacingOccurrences(of: "{id}", with: "no-such-job")
                    let body = route == .createRecording ? APIHarness.minimalBody : nil
                    let anonymous = try await client.send(route.method, path, json: body)
                    let wrong = try await client.send(route.method, path, json: body, token: "s3cret!")
                    let right = try await client.send(route.method, path, json: body, token: "s3cret")
                    if route.requiresToken {
                        #expect(anonymous.status == .unauthorized, "\(path)")
                        #expect(anonymous.headers[.wwwAuthenticate] == #"Bearer realm="tapedeck""#)
                        #expect(try anonymous.problem().title == "Unauthorized")
                        #expect(wrong.status == .unauthorized, "\(path)")
                    } else {
                        #expect(anonymous.status == .ok, "\(path)")
                    }
                    #expect(right.status != .unauthorized, "\(path)")
                }
                // Only the request with the right token created anything.
                #expect(try await store.list(JobQuery()).jobs.count == 1)
            }
        }
    }

    @Test func withoutATokenNothingAsksForOne() async throws {
        try await StoreBackend.sqlite.withStore { store in
            try await APIHarness(store: store).run { client in
                let recordings = try await client.send(.get, "/v1/recordings")
                let metrics = try await client.send(.get, "/metrics")
                #expect(recordings.status == .ok && metrics.status == .ok)
            }
        }
    }

    @Test func probesMetricsAndTheDocument() async throws {
        try await StoreBackend.sqlite.withStore { store in
            try await APIHarness(store: store).run { client in
                let health = try await client.send(.get, "/healthz")
                #expect(health.status == .ok && health.text == #"{"status":"ok"}"#)
                let ready = try await client.send(.get, "/readyz")
                #expect(ready.status == .ok && ready.text == #"{"status":"ready"}"#)

                let metrics = try await client.send(.get, "/metrics")
                #expect(metrics.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                #expect(metrics.text.contains(#"tapedeck_jobs{state="queued"} 0"#))

                let document = try await client.send(.get, "/openapi.yaml")
                #expect(document.status == .ok && document.headers[.contentType] == "application/yaml")
                #expect(document.text == OpenAPIDocument.yaml)
            }
            var notReady = APIHarness(store: store)
            notReady.ready = { throw NotReady() }
            try await notReady.run { client in
                let response = try await client.send(.get, "/readyz")
                #expect(response.status == .serviceUnavailable)
                // Anyone may ask, so the answer says not ready and nothing of why: that goes to the log.
                #expect(try response.problem().detail == "the service cannot reach its job database; its log says why")
                #expect(!response.text.contains("migrating"))
                #expect(try await client.send(.get, "/healthz").status == .ok, "alive, though not ready")
            }
        }
    }

    @Test func everyRouteInTheTableIsServed() async throws {
        try await StoreBackend.sqlite.withStore { store in
            try await APIHarness(store: store).run { client in
                for route in APIRoute.allCases {
                    let path = route.path.replacingOccurrences(of: "{id}", with: "no-such-job")
                    let response = try await client.send(route.method, path, json: route == .createRecording ? APIHarness.minimalBody : nil)
                    // A 404 of the route's own ("Recording not found") is an answer from it.
                    if [HTTPResponse.Status.methodNotAllowed, .notFound].contains(response.status) {
                        #expect(try response.problem().title == "Recording not found", "\(route.method) \(path)")
                    }
                }
            }
        }
    }

    @Test func overARealSocket() async throws {
        try await StoreBackend.sqlite.withStore { store in
            var harness = APIHarness(store: store)
            harness.token = "s3cret"
            try await harness.run(.live) { client in
                let created = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody, token: "s3cret")
                #expect(created.status == .created)
                let location = try #require(created.headers[.location])
                let read = try await client.send(.get, location, token: "s3cret")
                #expect(read.status == .ok && read.text == created.text)
                let refused = try await client.send(.post, "/v1/recordings", json: "{", token: "s3cret")
                #expect(refused.status == .badRequest)
                #expect(try refused.problem().title == "Malformed JSON")
                let missing = try await client.send(.delete, "/v1/nothing")
                #expect(missing.status == .notFound && missing.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test func whatIsNotServedIsAProblemToo() async throws {
        try await StoreBackend.sqlite.withStore { store in
            try await APIHarness(store: store).run { client in
                let missing = try await client.send(.get, "/v2/recordings")
                #expect(missing.status == .notFound)
                #expect(try missing.problem().title == "Not found")

                let put = try await client.send(.put, "/v1/recordings/abc", json: "{}")
                #expect(put.status == .methodNotAllowed)
                #expect(put.headers[.allow] == "GET, DELETE")
                #expect(try put.problem().detail == "/v1/recordings/abc takes GET, DELETE, not PUT")

                let patch = try await client.send(.patch, "/v1/recordings")
                #expect(patch.status == .methodNotAllowed && patch.headers[.allow] == "POST, GET")
                #expect(try await client.send(.get, "/v1/recordings/abc/stop").headers[.allow] == "POST")
            }
        }
    }
}
