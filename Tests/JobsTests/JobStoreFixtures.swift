import Foundation
import Testing

@testable import Jobs

/// A fixed moment the contract tests count from (2027-01-15T08:00:00Z), so nothing sleeps.
let t0 = Date(timeIntervalSince1970: 1_800_000_000)

func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

/// A request as the API would store it.
func recordingSpec(room: String = "standup", startAt: Date? = nil) -> RecordingJobSpec {
    RecordingJobSpec(room: room, signalingURL: "ws://127.0.0.1:8090/ws", recipe: "webm", startAt: startAt,
                     stopWhenEmptySeconds: 30, metadata: ["meeting": "42"])
}

extension JobStore {
    /// A new job that is expected to be created (not found by its idempotency key).
    func createJob(_ spec: RecordingJobSpec = recordingSpec(), cpuCost: Double = 0.5, maxAttempts: Int = 3,
                   idempotencyKey: String? = nil, now: Date = t0,
                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> RecordingJob {
        let creation = try await create(spec, cpuCost: cpuCost, maxAttempts: maxAttempts,
                                        idempotencyKey: idempotencyKey, now: now)
        guard case .created(let job) = creation else {
            Issue.record("expected a new job, got \(creation)", sourceLocation: sourceLocation)
            return creation.job
        }
        return job
    }

    /// A job `worker` has claimed (it must be the only queued one that fits).
    func runningJob(worker: String = "worker-1", lease: Duration = .seconds(30), maxAttempts: Int = 3,
                    now: Date = t0, sourceLocation: SourceLocation = #_sourceLocation) async throws -> RecordingJob {
        let created = try await createJob(maxAttempts: maxAttempts, now: now, sourceLocation: sourceLocation)
        let claimed = try #require(try await claim(worker: worker, capacity: 1, leaseDuration: lease, now: now),
                                   sourceLocation: sourceLocation)
        #expect(claimed.id == created.id, sourceLocation: sourceLocation)
        return claimed
    }

    /// Every job, through `list`'s pages of `limit`, oldest first unless `order` says otherwise.
    func allJobs(state: JobState? = nil, room: String? = nil, createdAfter: Date? = nil, createdBefore: Date? = nil,
                 order: JobListOrder = .oldestFirst, limit: Int = 100) async throws -> [RecordingJob] {
        var jobs: [RecordingJob] = []
        var cursor: String?
        repeat {
            let page = try await list(JobQuery(state: state, room: room, createdAfter: createdAfter, createdBefore: createdBefore,
                                               order: order, limit: limit, cursor: cursor))
            jobs += page.jobs
            cursor = page.nextCursor
        } while cursor != nil
        return jobs
    }
}

/// The reason of the `JobStoreError.database` that `body` throws ("" after recording an issue if
/// it throws anything else, or nothing).
func databaseErrorReason(sourceLocation: SourceLocation = #_sourceLocation,
                         _ body: () async throws -> Void) async -> String {
    let error = await #expect(throws: JobStoreError.self, sourceLocation: sourceLocation) { try await body() }
    guard case .database(let reason)? = error else {
        if let error { Issue.record("expected a database error, got \(error)", sourceLocation: sourceLocation) }
        return ""
    }
    return reason
}
