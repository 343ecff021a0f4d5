import Foundation
import HTTPTypes
import JSON
import Jobs
import Testing

@testable import API

@Suite struct IdempotencyKeyTests {
    @Test func takesVisibleASCII() throws {
        #expect(try IdempotencyKey.parse(nil) == nil)
        #expect(try IdempotencyKey.parse("job-2026-05-04/standup#1") == "job-2026-05-04/standup#1")
        #expect(try IdempotencyKey.parse(String(repeating: "k", count: 255))?.count == 255)
    }

    @Test(arguments: ["", "has space", "tab\t", "ünïcode", String(repeating: "k", count: 256)])
    func refusesTheRestWith400(_ value: String) {
        #expect(throws: APIProblem.invalidHeader("Idempotency-Key", "Idempotency-Key must be 1 to 255 visible ASCII characters, without spaces")) {
            try IdempotencyKey.parse(value)
        }
    }
}

@Suite struct JSONValueTests {
    func decode(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    @Test func keepsBooleansNumbersAndStringsApart() throws {
        #expect(try decode("true") == .bool(true))
        #expect(try decode("1") == .integer(1))
        #expect(try decode("-7") == .integer(-7))
        #expect(try decode("1.5") == .number(1.5))
        #expect(try decode(#""1""#) == .string("1"))
        #expect(try decode("null") == .null)
        #expect(try decode(#"{"a": [1, "b", null]}"#) == .object(["a": .array([.integer(1), .string("b"), .null])]))
    }
}

@Suite struct FieldNameSuggestionTests {
    @Test func suggestsTheKnownNameATypoWasMeantToBe() {
        let fields = CreateRecordingRequest.fields
        #expect(FieldNameSuggestion.closest(to: "stop_when_empty", among: fields) == "stop_when_empty_s")
        #expect(FieldNameSuggestion.closest(to: "signalling_url", among: fields) == "signaling_url")
        #expect(FieldNameSuggestion.closest(to: "max_duration", among: fields) == "max_duration_s")
        #expect(FieldNameSuggestion.closest(to: "recipie", among: fields) == "recipe")
        #expect(FieldNameSuggestion.closest(to: "priority", among: fields) == nil)
        #expect(FieldNameSuggestion.closest(to: "x", among: fields) == nil)
    }
}

@Suite struct APIRouteTests {
    @Test func writesPathsForTheRouter() {
        #expect(APIRoute.getRecording.routerPath == "/v1/recordings/:id")
        #expect(APIRoute.stopRecording.routerPath == "/v1/recordings/:id/stop")
        #expect(APIRoute.listRecordings.routerPath == "/v1/recordings")
    }

    @Test func matchesRequestPaths() {
        #expect(APIRoute.getRecording.matches(path: "/v1/recordings/abc"))
        #expect(!APIRoute.getRecording.matches(path: "/v1/recordings/abc/stop"))
        #expect(!APIRoute.getRecording.matches(path: "/v1/recordings/"))
        #expect(APIRoute.stopRecording.matches(path: "/v1/recordings/abc/stop"))
        #expect(APIRoute.health.matches(path: "/healthz") && !APIRoute.health.matches(path: "/healthz/x"))
    }

    @Test func methodAndPathNameOneRouteEach() {
        let keys = APIRoute.allCases.map { "\($0.method.rawValue) \($0.path)" }
        #expect(Set(keys).count == keys.count)
    }
}

@Suite struct StoreErrorProblemTests {
    @Test func eachStoreRefusalHasItsStatus() {
        #expect(APIProblem(.idempotencyConflict(key: "k", jobID: "j")) == .idempotencyConflict(key: "k", recordingID: "j"))
        #expect(APIProblem(.terminal(id: "j", state: .completed)).status == .conflict)
        #expect(APIProblem(.notFound(id: "j")).status == .notFound)
        #expect(APIProblem(.invalidCursor("c")).field == "cursor")
        #expect(APIProblem(.invalidCursor("c")).status == .badRequest)
        let unreachable = APIProblem(.database("connection refused"))
        #expect(unreachable.status == .serviceUnavailable && unreachable.title == "Database unavailable")
        #expect(!unreachable.detail.contains("connection refused"), "the database's own words stay in the log")
        #expect(APIProblem(.leaseLost(id: "j", worker: "w")).status == .internalServerError)
    }
}
