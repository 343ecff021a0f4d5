import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// `create` and `job(id:)`, against both stores.
@Suite struct JobStoreCreateContractTests {
    @Test(arguments: StoreBackend.allCases)
    func aJobWithoutAFutureStartIsQueuedAndReadsBackEqual(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let spec = RecordingJobSpec(
                room: "standup", signalingURL: "wss://signal.example/ws", recipe: "mp4", startAt: at(-60),
                stopAt: at(3600.000_4), maxDurationSeconds: 3600, stopWhenEmptySeconds: 30,
                webhookURL: "https://hooks.example/tapedeck", metadata: ["meeting": "42", "team": "core"])
            // Sub-millisecond parts: the job comes back to the millisecond, the same each time.
            let now = at(0.123_456)
            let job = try await store.createJob(spec, cpuCost: 0.75, maxAttempts: 4, now: now)
            #expect(job.state == .queued)
            #expect(job.spec.room == "standup" && job.spec.recipe == "mp4" && job.spec.metadata == spec.metadata)
            #expect(job.spec.stopAt == Date(timeIntervalSince1970: 1_800_003_600))
            #expect(job.createdAt == Date(timeIntervalSince1970: 1_800_000_000.123))
            #expect(job.updatedAt == job.createdAt)
            #expect(job.cpuCost == 0.75 && job.maxAttempts == 4 && job.attempts == 0)
            #expect(job.lease == nil && job.claimedAt == nil && job.endedAt == nil && job.outputDirectory == nil)
            #expect(job.outputs.isEmpty && job.webhookDeliveries.isEmpty && job.statistics == nil)
            #expect(!job.stopRequested && !job.cancelRequested && job.idempotencyKey == nil)
            #expect(try await store.job(id: job.id) == job)

            let startingNow = try await store.createJob(recordingSpec(startAt: now), now: now)
            #expect(startingNow.state == .queued, "a start_at that has come is due")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobStartingLaterIsScheduled(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let job = try await store.createJob(recordingSpec(startAt: at(600)), now: t0)
            #expect(job.state == .scheduled)
            #expect(job.spec.startAt == at(600))
            #expect(try await store.job(id: job.id) == job)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anUnknownJobIsNil(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.createJob()
            #expect(try await store.job(id: "no-such-job") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anIdempotencyKeyReturnsTheSameJobForTheSameSpecAndRefusesAnother(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            // A start time with sub-millisecond digits, sent again as it was: still the same spec.
            let spec = recordingSpec(startAt: at(600.000_7))
            let first = try await store.createJob(spec, idempotencyKey: "request-1", now: t0)
            #expect(first.idempotencyKey == "request-1")

            let retry = try await store.create(spec, cpuCost: 0.5, maxAttempts: 3, idempotencyKey: "request-1", now: at(5))
            #expect(retry == .existing(first))

            var otherSpec = spec
            otherSpec.room = "retro"
            await #expect(throws: JobStoreError.idempotencyConflict(key: "request-1", jobID: first.id)) {
                try await store.create(otherSpec, cpuCost: 0.5, maxAttempts: 3, idempotencyKey: "request-1", now: at(6))
            }

            let another = try await store.createJob(otherSpec, idempotencyKey: "request-2", now: at(7))
            #expect(another.id != first.id)
            #expect(try await store.allJobs().map(\.id) == [first.id, another.id])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentCreatesWithOneKeyMakeOneJob(_ backend: StoreBackend) async throws {
        try await backend.withStores(2) { stores in
            let creations: [JobCreation] = try await withThrowingTaskGroup(of: JobCreation.self) { group in
                for attempt in 0..<12 {
                    let store = stores[attempt % stores.count]
                    group.addTask {
                        try await store.create(recordingSpec(), cpuCost: 0.5, maxAttempts: 3, idempotencyKey: "same",
                                               now: at(Double(attempt)))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = creations.filter { if case .created = $0 { true } else { false } }
            #expect(created.count == 1)
            #expect(creations.allSatisfy { $0.job == creations[0].job }, "every caller got the one job, as stored")
            #expect(try await stores[0].allJobs().count == 1)
        }
    }
}
