import Foundation
import HTTPTypes
import HummingbirdTesting
import Jobs
import NIOCore
import JobStoreTestSupport
import Logging
import Synchronization
import Testing

@testable import API

/// `DELETE …?purge=true` and the retention sweep, seen through the API: files deleted, the job
/// kept and marked, and the files routes saying why the files are gone.
@Suite(.serialized) struct RecordingPurgeRoutesTests {
    @Test(arguments: StoreBackend.allCases)
    func purgingAnEndedRecordingDeletesItsFolderAndKeepsTheJob(_ kind: StoreBackend) async throws {
        try await RecordingDataDirectory.with { data in
            try await kind.withStore { store in
                let deleted = Mutex<[String]>([])
                let harness = APIHarness(store: store, files: RecordingFileAccess(dataDirectory: data.url.path, deleteStoredFiles: { job in
                    deleted.withLock { $0.append(job.id) }
                }))
                let job = try await data.recordedJob(store, files: [("alice.webm", distinctBytes(10))], now: harness.clock.now)
                harness.clock.advance(by: 60)
                try await harness.run { client in
                    let purged = try await client.send(.delete, "/v1/recordings/\(job.id)?purge=true")
                    #expect(purged.status == .ok)
                    let purgedJob = try purged.job()
                    #expect(purgedJob.filesPurgedAt == harness.clock.now && purgedJob.state == .completed)
                    #expect(purgedJob.outputs == job.outputs, "the record of what was written is kept")
                    #expect(!FileManager.default.fileExists(atPath: data.folder(of: job).path))
                    #expect(deleted.withLock { $0 } == [job.id])

                    let gone = try await client.send(.get, "/v1/recordings/\(job.id)/files/alice.webm")
                    #expect(gone.status == .gone)
                    let problem = try gone.problem()
                    #expect(problem.type == "urn:tapedeck:problem:files-purged" && problem.recordingID == job.id)
                    #expect(problem.detail == "the files of recording \(job.id) were deleted at 2026-05-04T09:31:00.000Z, by "
                            + "DELETE ?purge=true or by the --retention-days sweep; the recording's record is kept")
                    #expect(try await client.send(.get, "/v1/recordings/\(job.id)/manifest").status == .gone)

                    harness.clock.advance(by: 60)
                    let again = try await client.send(.delete, "/v1/recordings/\(job.id)?purge=true")
                    #expect(again.status == .ok)
                    #expect(try again.job().filesPurgedAt == purgedJob.filesPurgedAt)

                    // Without purge, an ended recording still cannot be cancelled.
                    #expect(try await client.send(.delete, "/v1/recordings/\(job.id)").status == .conflict)
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRunningRecordingIsNotPurgedAndOneNotStartedIsCancelledThenPurged(_ kind: StoreBackend) async throws {
        try await RecordingDataDirectory.with { data in
            try await kind.withStore { store in
                let harness = APIHarness(store: store, files: RecordingFileAccess(dataDirectory: data.url.path))
                let running = try await data.recordedJob(store, files: [("alice.webm", distinctBytes(10))], state: .recording,
                                                         now: harness.clock.now)
                try await harness.run { client in
                    let refused = try await client.send(.delete, "/v1/recordings/\(running.id)?purge=true")
                    #expect(refused.status == .conflict)
                    let problem = try refused.problem()
                    #expect(problem.type == "urn:tapedeck:problem:recording-running" && problem.state == .recording)
                    #expect(problem.detail.contains("cancel it (DELETE without purge), then purge it once it has ended"))
                    #expect(try await store.job(id: running.id) == running, "a refused purge changes nothing, not even a cancel")
                    #expect(FileManager.default.fileExists(atPath: data.folder(of: running).appendingPathComponent("alice.webm").path))

                    let waiting = try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody).job()
                    let purged = try await client.send(.delete, "/v1/recordings/\(waiting.id)?purge=true").job()
                    #expect(purged.state == .cancelled && purged.filesPurgedAt == harness.clock.now)

                    for query in ["purge=yes", "purge=true&purge=true", "force=true"] {
                        let bad = try await client.send(.delete, "/v1/recordings/\(running.id)?\(query)")
                        #expect(bad.status == .badRequest, "\(query)")
                        #expect(try bad.problem().type == "urn:tapedeck:problem:invalid-query-parameter", "\(query)")
                    }
                    let notFound = try await client.send(.delete, "/v1/recordings/no-such-job?purge=true")
                    #expect(notFound.status == .notFound)
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func afterTheRetentionSweepAFileAnswersThatItWasDeleted(_ kind: StoreBackend) async throws {
        try await RecordingDataDirectory.with { data in
            try await kind.withStore { store in
                let harness = APIHarness(store: store, files: RecordingFileAccess(dataDirectory: data.url.path))
                let old = try await data.recordedJob(store, files: [("alice.webm", distinctBytes(10))], now: harness.clock.now)
                harness.clock.advance(by: 5 * 86_400)
                let recent = try await data.recordedJob(store, files: [("bob.webm", distinctBytes(10))], now: harness.clock.now)
                harness.clock.advance(by: 3 * 86_400)
                let clock = harness.clock
                let sweep = RetentionSweep(store: store, purger: JobFilesPurger(dataDirectory: data.url.path),
                                           retention: .seconds(7 * 86_400), now: { clock.now }, logger: Logger(label: "test"))
                #expect(await sweep.sweep().map(\.id) == [old.id])
                try await harness.run { client in
                    let gone = try await client.send(.get, "/v1/recordings/\(old.id)/files/alice.webm")
                    #expect(gone.status == .gone)
                    #expect(try gone.problem().detail.contains("by DELETE ?purge=true or by the --retention-days sweep"))
                    let kept = try await client.send(.get, "/v1/recordings/\(recent.id)/files/bob.webm")
                    #expect(kept.status == .ok && Data(kept.body.readableBytesView) == distinctBytes(10))
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func listsNewestFirstAndByCreationTime(_ kind: StoreBackend) async throws {
        try await kind.withStore { store in
            let harness = APIHarness(store: store)
            try await harness.run { client in
                var ids: [String] = []
                for _ in 0..<5 {
                    ids.append(try await client.send(.post, "/v1/recordings", json: APIHarness.minimalBody).job().id)
                    harness.clock.advance(by: 60)
                }
                // Created 09:30, 09:31, … 09:34 (UTC).
                #expect(try await client.send(.get, "/v1/recordings").page().recordings.map(\.id) == ids.reversed())
                let window = "created_after=2026-05-04T09:31:00Z&created_before=2026-05-04T11:34:00%2B02:00"
                #expect(try await client.send(.get, "/v1/recordings?\(window)").page().recordings.map(\.id) == [ids[3], ids[2], ids[1]])
                #expect(try await client.send(.get, "/v1/recordings?\(window)&order=asc").page().recordings.map(\.id)
                        == [ids[1], ids[2], ids[3]])

                // Paging newest first, then a cursor of that listing given with the other order.
                let first = try await client.send(.get, "/v1/recordings?limit=2").page()
                #expect(first.recordings.map(\.id) == [ids[4], ids[3]])
                let cursor = try #require(first.nextCursor)
                let second = try await client.send(.get, "/v1/recordings?limit=2&cursor=\(cursor)").page()
                #expect(second.recordings.map(\.id) == [ids[2], ids[1]])
                let mixed = try await client.send(.get, "/v1/recordings?limit=2&order=asc&cursor=\(cursor)")
                #expect(mixed.status == .badRequest)
                let problem = try mixed.problem()
                #expect(problem.field == "cursor" && problem.detail.contains("continues a listing in order=desc"))
            }
        }
    }
}
