import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// `requestStop`, `cancel` and `promoteDueJobs`, against both stores.
@Suite struct JobStoreStopContractTests {
    @Test(arguments: StoreBackend.allCases)
    func stoppingAJobNotYetRunningCancelsIt(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for startAt in [nil, at(600)] {
                let job = try await store.createJob(recordingSpec(startAt: startAt), now: t0)
                let stopped = try #require(try await store.requestStop(id: job.id, now: at(1.000_4)))
                #expect(stopped.state == .cancelled)
                #expect(stopped.endedAt == at(1) && stopped.updatedAt == at(1))
                #expect(!stopped.stopRequested, "nothing runs that could act on it")
                #expect(try await store.job(id: job.id) == stopped)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func stoppingARunningJobAsksItsWorker(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob()
            let stopped = try #require(try await store.requestStop(id: running.id, now: at(5)))
            #expect(stopped.state == .joining && stopped.stopRequested && !stopped.cancelRequested)
            #expect(stopped.endedAt == nil && stopped.lease == running.lease)
            #expect(try await store.job(id: running.id) == stopped)
            let renewed = try await store.renewLease(id: running.id, worker: "worker-1", leaseDuration: .seconds(30),
                                                     now: at(6))
            #expect(renewed.stopRequested, "the worker learns it at its next heartbeat")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func cancellingAJobNotYetRunningCancelsIt(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let job = try await store.createJob()
            let cancelled = try #require(try await store.cancel(id: job.id, now: at(2)))
            #expect(cancelled.state == .cancelled && cancelled.endedAt == at(2) && !cancelled.cancelRequested)
            #expect(try await store.job(id: job.id) == cancelled)
            #expect(try await store.claim(worker: "worker-1", capacity: 1, leaseDuration: .seconds(30), now: at(3)) == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func cancellingARunningJobAsksItsWorker(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob()
            let cancelled = try #require(try await store.cancel(id: running.id, now: at(5)))
            #expect(cancelled.state == .joining && cancelled.cancelRequested && !cancelled.stopRequested)
            #expect(cancelled.lease == running.lease)
            #expect(try await store.job(id: running.id) == cancelled)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobThatEndedCannotBeStoppedOrCancelled(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let cancelled = try await store.createJob()
            _ = try await store.cancel(id: cancelled.id, now: at(1))
            let running = try await store.runningJob(now: at(2))
            for state in [JobState.recording, .finalizing, .completed] {
                _ = try await store.update(id: running.id, worker: "worker-1", JobProgress(state: state), now: at(3))
            }
            for (id, state) in [(cancelled.id, JobState.cancelled), (running.id, .completed)] {
                let before = try await store.job(id: id)
                await #expect(throws: JobStoreError.terminal(id: id, state: state)) {
                    try await store.requestStop(id: id, now: at(4))
                }
                await #expect(throws: JobStoreError.terminal(id: id, state: state)) {
                    try await store.cancel(id: id, now: at(4))
                }
                #expect(try await store.job(id: id) == before)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func stoppingOrCancellingAnUnknownJobIsNil(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let stopped = try await store.requestStop(id: "no-such-job", now: t0)
            let cancelled = try await store.cancel(id: "no-such-job", now: t0)
            #expect(stopped == nil && cancelled == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func scheduledJobsAreQueuedWhenTheirStartComes(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let early = try await store.createJob(recordingSpec(startAt: at(10)), now: t0)
            let late = try await store.createJob(recordingSpec(startAt: at(20)), now: t0)
            let queued = try await store.createJob(now: t0)
            #expect(try await store.claim(worker: "worker-1", capacity: 10, leaseDuration: .seconds(30), now: at(9))?.id
                    == queued.id)
            #expect(try await store.claim(worker: "worker-1", capacity: 10, leaseDuration: .seconds(30), now: at(9)) == nil,
                    "a scheduled job is not claimed")

            #expect(try await store.promoteDueJobs(now: at(9.999)) == 0)
            #expect(try await store.promoteDueJobs(now: at(10)) == 1)
            let promoted = try #require(try await store.job(id: early.id))
            #expect(promoted.state == .queued && promoted.updatedAt == at(10))
            #expect(try await store.job(id: late.id)?.state == .scheduled)
            #expect(try await store.promoteDueJobs(now: at(15)) == 0)
            #expect(try await store.promoteDueJobs(now: at(25)) == 1)
            #expect(try await store.countByState() == [.queued: 2, .joining: 1])
        }
    }
}
