import Foundation
import HTTPTypes
import Jobs
import Testing

@testable import API

@Suite struct CreateRecordingRequestTests {
    let now = Date(timeIntervalSince1970: 1_777_887_000)  // 2026-05-04T09:30:00Z

    func parse(_ body: String) throws(APIProblem) -> CreateRecordingRequest {
        try CreateRecordingRequest.parse(Data(body.utf8), recipes: .fixture, now: now)
    }

    /// The problem `body` is refused with (failing the test when it is accepted).
    func refusal(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) -> APIProblem? {
        do {
            let request = try parse(body)
            Issue.record("accepted: \(request)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsEveryField() throws {
        let request = try parse("""
            {"room": "standup", "signaling_url": "wss://rooms.example.com/ws", "recipe": "mp4",
             "start_at": "2026-05-04T10:00:00Z", "stop_at": "2026-05-04T11:00:00.5+01:00",
             "max_duration_s": 3600, "stop_when_empty_s": 30.0, "webhook_url": "https://hooks.example.com/t",
             "metadata": {"team": "platform", "ticket": "REC-1"}, "storage": "s3://archive/meetings", "keep_local": true}
            """)
        #expect(request.cpuCost == 1.2)
        #expect(request.spec == RecordingJobSpec(
            room: "standup", signalingURL: "wss://rooms.example.com/ws", recipe: "mp4",
            startAt: now.addingTimeInterval(1800), stopAt: now.addingTimeInterval(1800.5),
            maxDurationSeconds: 3600, stopWhenEmptySeconds: 30, webhookURL: "https://hooks.example.com/t",
            metadata: ["team": "platform", "ticket": "REC-1"], storage: "s3://archive/meetings/", keepLocal: true))
    }

    @Test func needsOnlyRoomSignalingURLAndRecipe() throws {
        let request = try parse(#"{"room": "r", "signaling_url": "ws://127.0.0.1:8765", "recipe": "webm"}"#)
        #expect(request.spec == RecordingJobSpec(room: "r", signalingURL: "ws://127.0.0.1:8765", recipe: "webm"))
    }

    @Test func nullIsAbsentForOptionalFields() throws {
        let request = try parse("""
            {"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": null, "stop_at": null,
             "max_duration_s": null, "stop_when_empty_s": null, "webhook_url": null, "metadata": null}
            """)
        #expect(request.spec == RecordingJobSpec(room: "r", signalingURL: "ws://h", recipe: "webm"))
    }

    @Test(arguments: [
        ("", "the request body is empty"),
        ("  \n", "the request body is empty"),
        ("{", "the request body is not valid JSON: "),
        (#"{"room": "r""#, "not valid JSON"),
        (#"{room: "r"}"#, "around character 1"),
        (#"{"room": 'r'}"#, "not valid JSON"),
        ("room=r", "not valid JSON"),
        (#"["room"]"#, "is an array, not a JSON object"),
        ("42", "is a number, not a JSON object"),
        ("null", "is null, not a JSON object"),
    ])
    func malformedJSONIs400(_ body: String, _ detail: String) throws {
        let problem = try #require(refusal(body))
        #expect(problem.status == .badRequest)
        #expect(problem.title == "Malformed JSON")
        #expect(problem.detail.contains(detail), "\(problem.detail)")
    }

    @Test func unknownFieldsAreRefusedByName() throws {
        let typo = try #require(refusal(#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "stop_when_empty": 30}"#))
        #expect(typo.status == .unprocessableContent && typo.title == "Unknown field")
        #expect(typo.field == "stop_when_empty")
        #expect(typo.detail == #""stop_when_empty" is not a field of a recording request; did you mean "stop_when_empty_s"?"#)

        let stranger = try #require(refusal(#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "priority": 1}"#))
        #expect(stranger.field == "priority")
        #expect(stranger.detail.contains("the fields are room, signaling_url, recipe"))
    }

    @Test(arguments: [
        (#"{"signaling_url": "ws://h", "recipe": "webm"}"#, "room", "Missing field", "room is required"),
        (#"{"room": null, "signaling_url": "ws://h", "recipe": "webm"}"#, "room", "Missing field", "room is required"),
        (#"{"room": "", "signaling_url": "ws://h", "recipe": "webm"}"#, "room", "Invalid field", "room must not be empty"),
        (#"{"room": "   ", "signaling_url": "ws://h", "recipe": "webm"}"#, "room", "Invalid field", "room must not be empty"),
        (#"{"room": 7, "signaling_url": "ws://h", "recipe": "webm"}"#, "room", "Invalid field", "room must be a string, not a number"),
        (#"{"room": "a\nb", "signaling_url": "ws://h", "recipe": "webm"}"#, "room", "Invalid field", "control characters"),
        (#"{"room": "r", "recipe": "webm"}"#, "signaling_url", "Missing field", "signaling_url is required"),
        (#"{"room": "r", "signaling_url": "http://h/ws", "recipe": "webm"}"#, "signaling_url", "Invalid field",
         #"signaling_url must be a ws:// or wss:// URL; it is "http://h/ws""#),
        (#"{"room": "r", "signaling_url": "rooms.example.com", "recipe": "webm"}"#, "signaling_url", "Invalid field", "ws:// or wss://"),
        (#"{"room": "r", "signaling_url": "ws:///path", "recipe": "webm"}"#, "signaling_url", "Invalid field", "must name a host"),
        (#"{"room": "r", "signaling_url": "ws://h h", "recipe": "webm"}"#, "signaling_url", "Invalid field", "ws:// or wss://"),
        (#"{"room": "r", "signaling_url": "ws://h"}"#, "recipe", "Missing field", "recipe is required"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": ["webm"]}"#, "recipe", "Invalid field", "recipe must be a string, not an array"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "tomorrow"}"#, "start_at", "Invalid field",
         #"start_at must be an RFC 3339 date-time with a time zone, such as 2026-05-04T09:30:00Z; it is "tomorrow""#),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2026-05-04T10:00:00"}"#, "start_at", "Invalid field", "time zone"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": 1777887000}"#, "start_at", "Invalid field", "must be a string"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2026-05-04T09:29:29Z"}"#, "start_at", "Invalid field",
         "start_at (2026-05-04T09:29:29.000Z) is in the past; it is now 2026-05-04T09:30:00.000Z"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "stop_at": "2026-05-04T09:30:00Z"}"#, "stop_at", "Invalid field",
         "stop_at (2026-05-04T09:30:00.000Z) has already passed"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2026-05-04T12:00:00Z", "stop_at": "2026-05-04T11:00:00Z"}"#,
         "stop_at", "Invalid field", "stop_at (2026-05-04T11:00:00.000Z) must be after start_at (2026-05-04T12:00:00.000Z)"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2026-05-04T12:00:00Z", "stop_at": "2026-05-04T14:00:00+02:00"}"#,
         "stop_at", "Invalid field", "must be after start_at"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "max_duration_s": 0}"#, "max_duration_s", "Invalid field",
         "max_duration_s must be between 1 and 86400; it is 0"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "max_duration_s": -5}"#, "max_duration_s", "Invalid field", "between 1 and 86400"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "max_duration_s": 86401}"#, "max_duration_s", "Invalid field", "it is 86401"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "max_duration_s": 1e30}"#, "max_duration_s", "Invalid field", "whole number"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "max_duration_s": 1.5}"#, "max_duration_s", "Invalid field", "whole number"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "max_duration_s": "60"}"#, "max_duration_s", "Invalid field",
         "max_duration_s must be a number, not a string"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "max_duration_s": true}"#, "max_duration_s", "Invalid field", "not a boolean"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "stop_when_empty_s": 0}"#, "stop_when_empty_s", "Invalid field", "between 1 and"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "webhook_url": "ftp://h/x"}"#, "webhook_url", "Invalid field",
         "webhook_url must be a http:// or https:// URL"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "webhook_url": "wss://h/x"}"#, "webhook_url", "Invalid field", "http://"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "storage": "https://bucket/x"}"#, "storage", "Invalid field",
         "the scheme must be s3"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "storage": "s3://Bad_Bucket"}"#, "storage", "Invalid field",
         "must be 3 to 63 lower-case letters"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "keep_local": "yes"}"#, "keep_local", "Invalid field",
         "keep_local must be true or false, not a string"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "metadata": ["a"]}"#, "metadata", "Invalid field",
         "metadata must be an object of strings, not an array"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "metadata": {"n": 1}}"#, "metadata", "Invalid field",
         "metadata.n must be a string, not a number"),
        (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "metadata": {"": "x"}}"#, "metadata", "Invalid field", "keys must be 1 to 100"),
    ])
    func badFieldsAre422NamingTheField(_ body: String, _ field: String, _ title: String, _ detail: String) throws {
        let problem = try #require(refusal(body))
        #expect(problem.status == .unprocessableContent)
        #expect(problem.field == field)
        #expect(problem.title == title)
        #expect(problem.detail.contains(detail), "\(problem.detail)")
        #expect(problem.type == "urn:tapedeck:problem:\(title.lowercased().replacingOccurrences(of: " ", with: "-"))")
    }

    @Test func unknownRecipesAreRefusedListingTheKnownOnes() throws {
        let problem = try #require(refusal(#"{"room": "r", "signaling_url": "ws://h", "recipe": "mkv"}"#))
        #expect(problem.status == .unprocessableContent && problem.title == "Unknown recipe" && problem.field == "recipe")
        #expect(problem.detail == #"recipe "mkv" is not one of this server's: audio-ogg, mp4, per-track-webm, webm"#)
        #expect(problem.knownRecipes == ["audio-ogg", "mp4", "per-track-webm", "webm"])
    }

    @Test func aStartAtAFewSecondsAgoIsTheSchedulersClock() throws {
        let request = try parse(#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2026-05-04T09:29:31Z"}"#)
        #expect(request.spec.startAt == now.addingTimeInterval(-29))
    }

    @Test func sizesAreBounded() throws {
        let longRoom = String(repeating: "é", count: 201)
        #expect(refusal(#"{"room": "\#(longRoom)", "signaling_url": "ws://h", "recipe": "webm"}"#)?.detail
            == "room must be at most 200 characters; it has 201")
        _ = try parse(#"{"room": "\#(longRoom.dropLast())", "signaling_url": "ws://h", "recipe": "webm"}"#)

        let longURL = "wss://h/" + String(repeating: "a", count: 2041)
        #expect(refusal(#"{"room": "r", "signaling_url": "\#(longURL)", "recipe": "webm"}"#)?.detail
            == "signaling_url must be at most 2048 bytes long")

        let entries = (0...50).map { #""k\#($0)": "v""# }.joined(separator: ",")
        #expect(refusal(#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "metadata": {\#(entries)}}"#)?.detail
            == "metadata may hold at most 50 entries; it has 51")
        let longValue = String(repeating: "v", count: 1001)
        #expect(refusal(#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "metadata": {"k": "\#(longValue)"}}"#)?.detail
            == "metadata.k must be at most 1000 characters")
    }

    @Test func timesAreKeptToTheMillisecond() throws {
        let request = try parse(#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2026-05-04T10:00:00.123999Z"}"#)
        #expect(request.spec.startAt == Date(timeIntervalSince1970: 1_777_888_800.123))
    }

    @Test func timingIsCheckedApartFromTheRest() throws {
        let body = Data(#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2020-01-01T00:00:00Z"}"#.utf8)
        let request = try CreateRecordingRequest.parse(body, recipes: .fixture)
        #expect(throws: APIProblem.self) { try request.checkTiming(now: now) }
        try request.checkTiming(now: Date(timeIntervalSince1970: 1_577_836_800))
    }
}
