import Foundation
import HTTPTypes
import Jobs
import Testing
import Yams

@testable import API

/// The OpenAPI document against the code it describes: its routes against `APIRoute` (from
/// which the router is built), its schemas against what the API reads and writes.
@Suite struct OpenAPIDocumentTests {
    let document: [String: Any]

    init() throws {
        document = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
    }

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// `POST /v1/recordings` → the operation's object, for every operation in the document.
    var operations: [String: [String: Any]] {
        var operations: [String: [String: Any]] = [:]
        for case let (path, item as [String: Any]) in document["paths"] as? [String: Any] ?? [:] {
            for case let (method, operation as [String: Any]) in item where Self.methods.contains(method) {
                operations["\(method.uppercased()) \(path)"] = operation
            }
        }
        return operations
    }

    func schema(_ name: String) throws -> [String: Any] {
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        return try #require(schemas[name] as? [String: Any], "no schema \(name)")
    }

    func properties(_ name: String) throws -> Set<String> {
        Set(try #require(try schema(name)["properties"] as? [String: Any]).keys)
    }

    func required(_ name: String) throws -> Set<String> {
        Set(try schema(name)["required"] as? [String] ?? [])
    }

    @Test("The embedded text is Sources/API/openapi.yaml, byte for byte (run scripts/embed-openapi after a change)")
    func embeddedMatchesTheFile() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/API/openapi.yaml")
        #expect(try String(contentsOf: file, encoding: .utf8) == OpenAPIDocument.yaml)
    }

    @Test func isOpenAPI31() {
        #expect(document["openapi"] as? String == "3.1.0")
    }

    @Test("Lists exactly the routes the router serves, with their operation ids")
    func listsEveryRouteAndNoOther() throws {
        let served = Dictionary(uniqueKeysWithValues: APIRoute.allCases.map { ("\($0.method.rawValue) \($0.path)", $0) })
        let documented = operations
        #expect(Set(documented.keys) == Set(served.keys))
        for (key, route) in served {
            #expect(documented[key]?["operationId"] as? String == route.operationID, "\(key)")
        }
    }

    @Test("Says which routes need the bearer token")
    func securityMatchesTheRoutes() throws {
        #expect((document["security"] as? [[String: Any]])?.first?.keys.first == "bearerAuth")
        for route in APIRoute.allCases {
            let operation = try #require(operations["\(route.method.rawValue) \(route.path)"])
            let open = (operation["security"] as? [Any])?.isEmpty == true
            #expect(open == !route.requiresToken, "\(route.path)")
        }
    }

    @Test func theRequestSchemaHasTheFieldsTheParserTakes() throws {
        #expect(try properties("RecordingRequest") == Set(CreateRecordingRequest.fields))
        #expect(try required("RecordingRequest") == ["room", "signaling_url", "recipe"])
        #expect(try schema("RecordingRequest")["additionalProperties"] as? Bool == false)
        #expect(try properties("RenderRequest") == Set(CreateRenderRequest.fields))
        #expect(try required("RenderRequest") == ["recipe"])
        #expect(try schema("RenderRequest")["additionalProperties"] as? Bool == false)
    }

    @Test("The job schema has every key a job is written with, and requires those always written")
    func theJobSchemaMatchesTheJobsJSON() throws {
        let minimal = try JSONKeys.of(RecordingJob.minimal)
        let full = try JSONKeys.of(RecordingJob.full)
        #expect(try properties("Recording") == full)
        #expect(try required("Recording") == minimal)
        #expect(try properties("Lease") == JSONKeys.of(RecordingJob.full.lease!))
        #expect(try properties("Output") == JSONKeys.of(RecordingJob.full.outputs[0]))
        #expect(try properties("Statistics") == JSONKeys.of(RecordingJob.full.statistics!))
        #expect(try properties("WebhookDelivery") == JSONKeys.of(RecordingJob.full.webhookDeliveries[0]))
        #expect(try schema("JobState")["enum"] as? [String] == JobState.allCases.map(\.rawValue))
    }

    @Test func theProblemAndPageSchemasMatchWhatIsWritten() throws {
        var problem = APIProblem.unknownRecipe("mkv", known: ["webm"])
        problem.recordingID = "r"
        problem.state = .failed
        #expect(try properties("Problem") == JSONKeys.of(ProblemBody(problem: problem, instance: "/v1/recordings")))
        #expect(try required("Problem") == ["type", "title", "status", "detail"])
        #expect(try properties("RecordingPage") == JSONKeys.of(RecordingPage(recordings: [], nextCursor: nil)))
        #expect(try required("RecordingPage") == ["recordings", "next_cursor"])
    }
}

/// The top-level keys of a value's JSON as the API writes it.
enum JSONKeys {
    static func of(_ value: some Encodable) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: RecordingJobJSON.encoder().encode(value))
        return Set(try #require(object as? [String: Any]).keys)
    }
}

extension RecordingJob {
    /// A job just created from the smallest request.
    static var minimal: RecordingJob {
        RecordingJob(id: "j1", state: .queued, spec: RecordingJobSpec(room: "r", signalingURL: "ws://h", recipe: "webm"),
                     cpuCost: 0.05, createdAt: Date(timeIntervalSince1970: 0), maxAttempts: 3, idempotencyKey: nil)
    }

    /// A job with every field set.
    static var full: RecordingJob {
        let at = Date(timeIntervalSince1970: 1_777_887_000)
        var job = RecordingJob(
            id: "j2", state: .failed,
            spec: RecordingJobSpec(room: "r", signalingURL: "ws://h", recipe: "mp4", startAt: at, stopAt: at, maxDurationSeconds: 60,
                                   stopWhenEmptySeconds: 30, webhookURL: "https://h", metadata: ["k": "v"],
                                   storage: "s3://bucket/prefix/", keepLocal: true, signalingToken: SecretText("t"),
                                   iceServers: [RoomIceServer(urls: ["turn:h"], username: "u", credential: SecretText("c"))],
                                   botName: "bot", renderOf: "j1"),
            cpuCost: 1.2, createdAt: at, maxAttempts: 3, idempotencyKey: "key")
        job.claimedAt = at
        job.recordingStartedAt = at
        job.endedAt = at
        job.error = "the room server refused the join"
        job.lease = JobLease(worker: "w", expiresAt: at)
        job.outputDirectory = "recordings/j2"
        job.outputs = [JobOutput(path: "alice.mp4", participant: "alice", segment: 1, bytes: 10, finished: true, durationSeconds: 1,
                                 location: "s3://bucket/prefix/j2/alice.mp4")]
        job.filesFinished = true
        job.manifestLocation = "s3://bucket/prefix/j2/manifest.json"
        job.filesPurgedAt = at
        job.statistics = JobStatistics(participants: 1, packetsReceived: 1, packetsLost: 0, packetsRecovered: 0, bytesWritten: 10)
        job.webhookDeliveries = [WebhookDelivery(event: "recording.failed", attempt: 1, at: at, status: 500, error: "HTTP 500")]
        return job
    }
}
