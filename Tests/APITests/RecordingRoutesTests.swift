import Foundation
import HTTPTypes
import HummingbirdTesting
import Jobs
import JobStoreTestSupport
import Testing

@testable import API

/// The recording routes through the real stores: what the API answers, and what the store holds.
@Suite(.serialized) struct RecordingRoutesTests {
    @Test(arguments: StoreBackend.allCases)
    func createsAndReadsBack(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            let harness = APIHarness(store: store)
            try await harness.run { client in
                // Now is 09:30Z; 12:00+01:00 is 11:00Z.
                let created = try await client.send(.post, "/v1/recordings", json: """
                    {"room": "standup", "signaling_url": "wss://rooms.example.com/ws", "recipe": "mp4",
                     "start_at": "2026-05-04T12:00:00+01:00", "max_duration_s": 3600, "stop_when_empty_s": 120,
                     "webhook_url": "https://hooks.example.com/t", "metadata": {"team": "platform", "ticket": "REC-1"}}
                    """)
                #expect(created.status == .created)
                let job = try created.job()
                #expect(created.headers[.location] == "/v1/recordings/\(job.id)")
                #expect(created.headers[RecordingsAPI.replayedHeader] == nil)
                #expect(job.state == .scheduled && job.cpuCost == 1.2 && job.maxAttempts == 3 && job.attempts == 0)
                #expect(job.createdAt == harness.clock.now)
                #expect(job.spec == RecordingJobSpec(
                    room: "standup", signalingURL: "wss://rooms.example.com/ws", recipe: "mp4",
                    startAt: harness.clock.now.addingTimeInterval(5400), maxDurationSeconds: 3600, stopWhenEmptySeconds: 120,
                    webhookURL: "https://hooks.example.com/t", metadata: ["team": "platform", "ticket": "REC-1"]))

                // The request's fields sit at the top level, times in UTC with milliseconds.
                let json = try #require(try JSONSerialization.jsonObject(with: Data(created.text.utf8)) as? [String: Any])
                #expect(json["room"] as? String == "standup" && json["state"] as? String == "scheduled")
                #expect(json["start_at"] as? String == "2026-05-04T11:00:00.000Z")
                #expect(json["created_at"] as? String == "2026-05-04T09:30:00.000Z")

                let read = try await client.send(.get, "/v1/recordings/\(job.id)")
                #expect(read.status == .ok)
                #expect(read.text == created.text, "a job reads back byte for byte as it was created")
                #expect(try await store.job(id: job.id) == job)

                let soon = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody)
                #expect(soon.status == .created)
                #expect(try soon.job().state == .queued)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func listsByStateAndRoomAPageAtATime(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            let harness = APIHarness(store: store)
            try await harness.run { client in
                var ids: [String] = []
                for body in [
                    #"{"room": "a", "signaling_url": "ws://h", "recipe": "webm"}"#,
                    #"{"room": "b", "signaling_url": "ws://h", "recipe": "webm"}"#,
                    #"{"room": "a", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2026-05-05T00:00:00Z"}"#,
                ] {
                    ids.append(try await client.send(.post, "/v1/recordings", json: body).job().id)
                    harness.clock.advance(by: 1)
                }

                let all = try await client.send(.get, "/v1/recordings")
                #expect(all.status == .ok)
                #expect(try all.page().recordings.map(\.id) == ids.reversed(), "newest first")
                #expect(try await client.send(.get, "/v1/recordings?order=asc").page().recordings.map(\.id) == ids)
                #expect(all.text.contains(#""next_cursor":null"#), "the last page says so")

                #expect(try await client.send(.get, "/v1/recordings?room=a").page().recordings.map(\.id) == [ids[2], ids[0]])
                #expect(try await client.send(.get, "/v1/recordings?state=scheduled").page().recordings.map(\.id) == [ids[2]])
                #expect(try await client.send(.get, "/v1/recordings?state=queued&room=b").page().recordings.map(\.id) == [ids[1]])
                #expect(try await client.send(.get, "/v1/recordings?room=nobody").page().recordings.isEmpty)

                let first = try await client.send(.get, "/v1/recordings?limit=2").page()
                #expect(first.recordings.map(\.id) == [ids[2], ids[1]])
                let cursor = try #require(first.nextCursor)
                let escaped = try #require(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
                let second = try await client.send(.get, "/v1/recordings?limit=2&cursor=\(escaped)").page()
                #expect(second.recordings.map(\.id) == [ids[0]])
                #expect(second.nextCursor == nil)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func refusesBadListQueriesWith400(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            try await APIHarness(store: store).run { client in
                for (query, field) in [("state=done", "state"), ("limit=0", "limit"), ("limit=101", "limit"),
                                       ("cursor=not-a-cursor", "cursor"), ("sort=desc", "sort"), ("order=newest", "order"),
                                       ("created_after=yesterday", "created_after"),
                                       ("created_before=2026-05-04", "created_before"),
                                       ("created_after=2026-05-04T10:00:00Z&created_before=2026-05-04T10:00:00Z", "created_before")] {
                    let response = try await client.send(.get, "/v1/recordings?\(query)")
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(try response.problem().field == field, "\(query)")
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func stopsAndCancels(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            let harness = APIHarness(store: store)
            try await harness.run { client in
                // Not yet running: both end the job at once.
                let waiting = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody).job()
                let stopped = try await client.send(.post, "/v1/recordings/\(waiting.id)/stop")
                #expect(stopped.status == .ok)
                #expect(try stopped.job().state == .cancelled)
                let waitingToo = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody).job()
                let cancelled = try await client.send(.delete, "/v1/recordings/\(waitingToo.id)")
                #expect(cancelled.status == .ok)
                #expect(try cancelled.job().state == .cancelled)

                // Running: the worker is asked, through the job.
                let running = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody).job()
                let claimed = try await store.claim(worker: "w1", capacity: 4, leaseDuration: .seconds(30), now: harness.clock.now)
                #expect(claimed?.id == running.id)
                let stopping = try await client.send(.post, "/v1/recordings/\(running.id)/stop").job()
                #expect(stopping.state == .joining && stopping.stopRequested && !stopping.cancelRequested)
                let cancelling = try await client.send(.delete, "/v1/recordings/\(running.id)").job()
                #expect(cancelling.state == .joining && cancelling.cancelRequested)
                #expect(try await store.job(id: running.id) == cancelling)

                // Ended: 409, naming the state.
                for (method, path) in [(HTTPRequest.Method.post, "/v1/recordings/\(waiting.id)/stop"),
                                       (.delete, "/v1/recordings/\(waiting.id)")] {
                    let refused = try await client.send(method, path)
                    #expect(refused.status == .conflict)
                    let problem = try refused.problem()
                    #expect(problem.title == "Recording already ended")
                    #expect(problem.state == .cancelled && problem.recordingID == waiting.id)
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func unknownRecordingsAre404(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            try await APIHarness(store: store).run { client in
                for (method, path) in [(HTTPRequest.Method.get, "/v1/recordings/no-such-job"),
                                       (.post, "/v1/recordings/no-such-job/stop"), (.delete, "/v1/recordings/no-such-job")] {
                    let response = try await client.send(method, path)
                    #expect(response.status == .notFound)
                    let problem = try response.problem()
                    #expect(problem.title == "Recording not found" && problem.recordingID == "no-such-job")
                    #expect(problem.instance == path)
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anIdempotencyKeyCreatesOneJob(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            let harness = APIHarness(store: store)
            try await harness.run { client in
                let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "standup-2026-05-04"]
                let first = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody, headers: key)
                #expect(first.status == .created && first.headers[RecordingsAPI.replayedHeader] == nil)
                harness.clock.advance(by: 5)

                // The same request, written differently: the same job, flagged as a replay.
                let again = try await client.send(.post, "/v1/recordings", json: """
                    {"recipe":"webm","signaling_url":"wss://rooms.example.com/ws","room":"standup","metadata":{}}
                    """, headers: key)
                #expect(again.status == .created)
                #expect(again.headers[RecordingsAPI.replayedHeader] == "true")
                #expect(again.headers[.location] == first.headers[.location])
                #expect(again.text == first.text)

                // The key with another request: 409, naming the job it made.
                let other = try await client.send(.post, "/v1/recordings", json: """
                    {"room": "standup", "signaling_url": "wss://rooms.example.com/ws", "recipe": "mp4"}
                    """, headers: key)
                #expect(other.status == .conflict)
                let problem = try other.problem()
                #expect(problem.title == "Idempotency-Key reused for a different request")
                #expect(problem.recordingID == (try first.job().id) && problem.field == "Idempotency-Key")

                // Another key is another job.
                let second = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody,
                                                   headers: [HTTPField.Name("Idempotency-Key")!: "standup-2026-05-05"])
                #expect(second.status == .created && second.headers[RecordingsAPI.replayedHeader] == nil)
                #expect(try await store.list(JobQuery()).jobs.count == 2)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRetryAfterItsStartTimeStillFindsItsJob(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            let harness = APIHarness(store: store)
            try await harness.run { client in
                let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "retry-1"]
                let body = #"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2026-05-04T09:30:10Z"}"#
                let first = try await client.send(.post, "/v1/recordings", json: body, headers: key)
                #expect(first.status == .created)

                harness.clock.advance(by: 600)
                let retry = try await client.send(.post, "/v1/recordings", json: body, headers: key)
                #expect(retry.status == .created && retry.headers[RecordingsAPI.replayedHeader] == "true")
                #expect(try retry.job().id == first.job().id)

                let changed = #"{"room": "r", "signaling_url": "ws://h", "recipe": "mp4", "start_at": "2026-05-04T09:30:10Z"}"#
                #expect(try await client.send(.post, "/v1/recordings", json: changed, headers: key).status == .conflict)
                let unknownKey = try await client.send(.post, "/v1/recordings", json: body,
                                                       headers: [HTTPField.Name("Idempotency-Key")!: "retry-2"])
                #expect(unknownKey.status == .unprocessableContent)
                #expect(try unknownKey.problem().field == "start_at")
                #expect(try await store.list(JobQuery()).jobs.count == 1)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func everyBadRequestIsRefusedAndStoresNothing(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            try await APIHarness(store: store).run { client in
                let cases: [(body: String, status: HTTPResponse.Status, title: String, field: String?)] = [
                    (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm""#, .badRequest, "Malformed JSON", nil),
                    (#"["room"]"#, .badRequest, "Malformed JSON", nil),
                    (#"{"room": "r", "signaling_url": "ws://h", "recipe": "mkv"}"#, .unprocessableContent, "Unknown recipe", "recipe"),
                    (#"{"signaling_url": "ws://h", "recipe": "webm"}"#, .unprocessableContent, "Missing field", "room"),
                    (#"{"room": "", "signaling_url": "ws://h", "recipe": "webm"}"#, .unprocessableContent, "Invalid field", "room"),
                    (#"{"room": "r", "signaling_url": "https://h/ws", "recipe": "webm"}"#, .unprocessableContent, "Invalid field", "signaling_url"),
                    (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2026-05-04T09:00:00Z"}"#,
                     .unprocessableContent, "Invalid field", "start_at"),
                    (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "start_at": "2026-05-04T12:00:00Z", "stop_at": "2026-05-04T11:00:00Z"}"#,
                     .unprocessableContent, "Invalid field", "stop_at"),
                    (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "stop_at": "2026-05-04T09:00:00Z"}"#,
                     .unprocessableContent, "Invalid field", "stop_at"),
                    (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "stop_when_empty": 30}"#,
                     .unprocessableContent, "Unknown field", "stop_when_empty"),
                    (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "max_duration_s": 0}"#,
                     .unprocessableContent, "Invalid field", "max_duration_s"),
                    (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "webhook_url": "mailto:ops@example.com"}"#,
                     .unprocessableContent, "Invalid field", "webhook_url"),
                    (#"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "metadata": {"n": 1}}"#,
                     .unprocessableContent, "Invalid field", "metadata"),
                ]
                for item in cases {
                    let response = try await client.send(.post, "/v1/recordings", json: item.body)
                    #expect(response.status == item.status, "\(item.body)")
                    let problem = try response.problem()
                    #expect(problem.title == item.title && problem.field == item.field, "\(item.body): \(problem.detail)")
                }

                let form = try await client.send(.post, "/v1/recordings", json: "room=r",
                                                 headers: [.contentType: "application/x-www-form-urlencoded"])
                #expect(form.status == .unsupportedMediaType)
                #expect(try form.problem().field == "Content-Type")
                let huge = #"{"room": "r", "signaling_url": "ws://h", "recipe": "webm", "metadata": {"k": "\#(String(repeating: "x", count: 70_000))"}}"#
                let tooLarge = try await client.send(.post, "/v1/recordings", json: huge)
                #expect(tooLarge.status == .contentTooLarge)
                #expect(try tooLarge.problem().title == "Request body too large")
                let badKey = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody,
                                                   headers: [HTTPField.Name("Idempotency-Key")!: "has space"])
                #expect(badKey.status == .badRequest)
                #expect(try badKey.problem().field == "Idempotency-Key")

                #expect(try await store.list(JobQuery()).jobs.isEmpty)
                #expect(try await store.countByState().isEmpty)
            }
        }
    }
}
