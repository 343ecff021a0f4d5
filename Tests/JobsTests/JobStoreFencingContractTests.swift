import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// The lease generation (fencing token) and `confirmLease`, against both stores: each claim is a
/// generation of its own, and only the current one may go on writing the job's folder.
@Suite struct JobStoreFencingContractTests {
    @Test(arguments: StoreBackend.allCases)
    func eachClaimIsTheNextGeneration(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let created = try await store.createJob(now: t0)
            #expect(created.leaseGeneration == 0)
            let first = try await store.runningJobClaimed(worker: "worker-1", now: at(1))
            #expect(first.id == created.id && first.leaseGeneration == 1)

            // Given back at shutdown (the attempt does not count), and taken after an expired
            // lease: the generation counts claims, not attempts.
            _ = try await store.release(id: first.id, worker: "worker-1", error: nil, now: at(2))
            let second = try await store.runningJobClaimed(worker: "worker-2", now: at(3))
            #expect(second.leaseGeneration == 2 && second.attempts == 1)
            _ = try await store.reclaimExpiredLeases(now: at(60))
            let third = try await store.runningJobClaimed(worker: "worker-3", now: at(61))
            #expect(third.leaseGeneration == 3 && third.attempts == 2)
            #expect(try await store.job(id: created.id)?.leaseGeneration == 3)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func theCurrentGenerationConfirmsAndExtendsItsLease(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", lease: .seconds(30), now: t0)
            let confirmed = try await store.confirmLease(id: running.id, worker: "worker-1", generation: running.leaseGeneration,
                                                         leaseDuration: .seconds(45), now: at(20))
            #expect(confirmed.lease == JobLease(worker: "worker-1", expiresAt: at(65)))
            #expect(confirmed.leaseGeneration == running.leaseGeneration && confirmed.updatedAt == at(20))
            #expect(try await store.job(id: running.id) == confirmed)
            await #expect(throws: JobStoreError.notFound(id: "no-such-job")) {
                try await store.confirmLease(id: "no-such-job", worker: "worker-1", generation: 1, leaseDuration: .seconds(30),
                                             now: at(21))
            }
        }
    }

    /// The split brain the token exists for: a worker cut off from the store past its lease, whose
    /// job was taken back and claimed again — by another worker, or by this same worker's next run.
    @Test(arguments: StoreBackend.allCases)
    func anEarlierGenerationIsRefusedEvenForTheSameWorker(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let lost = try await store.runningJob(worker: "worker-1", lease: .seconds(10), now: t0)
            #expect(try await store.reclaimExpiredLeases(now: at(11)).map(\.id) == [lost.id])
            let again = try await store.runningJobClaimed(worker: "worker-1", now: at(12))
            #expect(again.leaseGeneration == lost.leaseGeneration + 1)

            await #expect(throws: JobStoreError.leaseLost(id: lost.id, worker: "worker-1")) {
                try await store.confirmLease(id: lost.id, worker: "worker-1", generation: lost.leaseGeneration,
                                             leaseDuration: .seconds(10), now: at(13))
            }
            #expect(try await store.job(id: lost.id) == again, "a refused confirmation changes nothing")
            _ = try await store.confirmLease(id: again.id, worker: "worker-1", generation: again.leaseGeneration,
                                             leaseDuration: .seconds(10), now: at(14))

            let takenBack = try await store.reclaimExpiredLeases(now: at(30))
            #expect(takenBack.map(\.id) == [lost.id])
            let other = try await store.runningJobClaimed(worker: "worker-2", now: at(31))
            for (worker, generation) in [("worker-1", again.leaseGeneration), ("worker-2", again.leaseGeneration),
                                         ("worker-1", other.leaseGeneration)] {
                await #expect(throws: JobStoreError.leaseLost(id: lost.id, worker: worker)) {
                    try await store.confirmLease(id: lost.id, worker: worker, generation: generation,
                                                 leaseDuration: .seconds(10), now: at(32))
                }
            }
            _ = try await store.confirmLease(id: other.id, worker: "worker-2", generation: other.leaseGeneration,
                                             leaseDuration: .seconds(10), now: at(33))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anEndedJobConfirmsNoGeneration(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", now: t0)
            _ = try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .failed, error: "gone"), now: at(1))
            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-1")) {
                try await store.confirmLease(id: running.id, worker: "worker-1", generation: running.leaseGeneration,
                                             leaseDuration: .seconds(10), now: at(2))
            }
        }
    }
}

extension JobStore {
    /// The job `worker` claims now (one must be queued).
    fileprivate func runningJobClaimed(worker: String, now: Date,
                                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> RecordingJob {
        try #require(try await claim(worker: worker, capacity: 1, leaseDuration: .seconds(10), now: now),
                     sourceLocation: sourceLocation)
    }
}
