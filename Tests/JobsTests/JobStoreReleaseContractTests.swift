import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// `release`: a worker gives its job back, against both stores.
@Suite struct JobStoreReleaseContractTests {
    @Test(arguments: StoreBackend.allCases)
    func aWorkerShuttingDownGivesItsJobBackWithoutSpendingAnAttempt(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", now: t0)
            _ = try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .recording), now: at(1))
            let released = try await store.release(id: running.id, worker: "worker-1", error: nil, now: at(5))
            #expect(released.state == .queued && released.lease == nil && released.updatedAt == at(5))
            #expect(released.attempts == 0 && released.error == nil && released.endedAt == nil)
            #expect(released.outputDirectory == "recordings/\(running.id)" && released.recordingStartedAt == at(1))
            #expect(try await store.job(id: running.id) == released)

            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-1")) {
                try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .finalizing), now: at(6))
            }
            let resumed = try #require(
                try await store.claim(worker: "worker-2", capacity: 1, leaseDuration: .seconds(30), now: at(7)))
            #expect(resumed.id == running.id && resumed.attempts == 1, "resumed in the same folder")
            #expect(resumed.outputDirectory == running.outputDirectory)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aFailedAttemptGivenBackCountsAndKeepsItsError(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", maxAttempts: 2, now: t0)
            let released = try await store.release(id: running.id, worker: "worker-1", error: "ICE failed", now: at(5))
            #expect(released.state == .queued && released.attempts == 1 && released.error == "ICE failed")
            #expect(try await store.job(id: running.id) == released)

            let retried = try #require(
                try await store.claim(worker: "worker-2", capacity: 1, leaseDuration: .seconds(30), now: at(6)))
            #expect(retried.attempts == 2)
            let failed = try await store.release(id: running.id, worker: "worker-2", error: "ICE failed again", now: at(7))
            #expect(failed.state == .failed && failed.endedAt == at(7) && failed.lease == nil)
            let error = try #require(failed.error)
            #expect(error.hasPrefix("ICE failed again") && error.contains("no attempts left (2 of 2 used)"), "\(error)")
            #expect(try await store.job(id: running.id) == failed)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func onlyTheWorkerHoldingARunningJobGivesItBack(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", now: t0)
            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-2")) {
                try await store.release(id: running.id, worker: "worker-2", error: nil, now: at(1))
            }
            await #expect(throws: JobStoreError.notFound(id: "no-such-job")) {
                try await store.release(id: "no-such-job", worker: "worker-1", error: nil, now: at(1))
            }
            let queued = try await store.createJob(now: at(2))
            await #expect(throws: JobStoreError.leaseLost(id: queued.id, worker: "worker-1")) {
                try await store.release(id: queued.id, worker: "worker-1", error: nil, now: at(3))
            }
            #expect(try await store.job(id: running.id) == running)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobAskedToCancelIsNotRunAgainWhenGivenBack(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", now: t0)
            _ = try await store.cancel(id: running.id, now: at(1))
            let released = try await store.release(id: running.id, worker: "worker-1", error: nil, now: at(2))
            #expect(released.state == .cancelled && released.endedAt == at(2) && released.lease == nil)
        }
    }
}
