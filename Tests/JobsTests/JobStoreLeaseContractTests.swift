import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// `renewLease`, `update` and `reclaimExpiredLeases`: a worker's hold on its job, against both stores.
@Suite struct JobStoreLeaseContractTests {
    @Test(arguments: StoreBackend.allCases)
    func onlyTheWorkerHoldingAJobRenewsItsLease(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", lease: .seconds(30), now: t0)
            let renewed = try await store.renewLease(id: running.id, worker: "worker-1", leaseDuration: .seconds(45),
                                                     now: at(20))
            #expect(renewed.lease == JobLease(worker: "worker-1", expiresAt: at(65)))
            #expect(renewed.state == .joining && renewed.updatedAt == at(20))
            #expect(try await store.job(id: running.id) == renewed)

            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-2")) {
                try await store.renewLease(id: running.id, worker: "worker-2", leaseDuration: .seconds(30), now: at(21))
            }
            await #expect(throws: JobStoreError.notFound(id: "no-such-job")) {
                try await store.renewLease(id: "no-such-job", worker: "worker-1", leaseDuration: .seconds(30), now: at(21))
            }
            #expect(try await store.job(id: running.id) == renewed)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aWorkerReportsItsJobThroughRecordingFinalizingAndCompleted(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(now: t0)
            let recording = try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .recording),
                                                   now: at(1))
            #expect(recording.state == .recording && recording.recordingStartedAt == at(1))

            let outputs = [JobOutput(path: "alice.webm", participant: "alice", segment: 1, bytes: 1024, finished: false,
                                     durationSeconds: 1.5)]
            let statistics = JobStatistics(participants: 1, packetsReceived: 900, packetsLost: 3, packetsRecovered: 2,
                                           bytesWritten: 1024)
            let progressed = try await store.update(id: running.id, worker: "worker-1",
                                                    JobProgress(state: .recording, outputs: outputs, statistics: statistics),
                                                    now: at(2))
            #expect(progressed.state == .recording && progressed.recordingStartedAt == at(1), "set once")
            #expect(progressed.outputs == outputs && progressed.statistics == statistics && progressed.updatedAt == at(2))

            let finalizing = try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .finalizing),
                                                    now: at(3))
            #expect(finalizing.state == .finalizing && finalizing.lease != nil && finalizing.endedAt == nil)
            #expect(finalizing.outputs == outputs, "what is not reported stays")

            var finished = outputs
            finished[0].finished = true
            let completed = try await store.update(id: running.id, worker: "worker-1",
                                                   JobProgress(state: .completed, outputs: finished), now: at(4))
            #expect(completed.state == .completed && completed.endedAt == at(4) && completed.lease == nil)
            #expect(completed.outputs == finished && completed.recordingStartedAt == at(1))
            #expect(try await store.job(id: running.id) == completed)

            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-1")) {
                try await store.update(id: running.id, worker: "worker-1", JobProgress(error: "late"), now: at(5))
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aWorkerCannotMoveItsJobWhereTheStateMachineForbids(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(now: t0)
            for next in [JobState.completed, .queued, .scheduled] {
                await #expect(throws: JobStoreError.invalidTransition(id: running.id, from: .joining, to: next)) {
                    try await store.update(id: running.id, worker: "worker-1", JobProgress(state: next), now: at(1))
                }
            }
            #expect(try await store.job(id: running.id) == running)
            _ = try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .recording), now: at(2))
            await #expect(throws: JobStoreError.invalidTransition(id: running.id, from: .recording, to: .joining)) {
                try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .joining), now: at(3))
            }
            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-2")) {
                try await store.update(id: running.id, worker: "worker-2", JobProgress(state: .finalizing), now: at(3))
            }
            await #expect(throws: JobStoreError.notFound(id: "no-such-job")) {
                try await store.update(id: "no-such-job", worker: "worker-1", JobProgress(), now: at(3))
            }
            let failed = try await store.update(id: running.id, worker: "worker-1",
                                                JobProgress(state: .failed, error: "the room closed"), now: at(4))
            #expect(failed.state == .failed && failed.error == "the room closed" && failed.endedAt == at(4))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobWhoseLeaseExpiredGoesBackToTheQueueAndItsOldWorkerLosesIt(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", lease: .seconds(30), now: t0)
            _ = try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .recording), now: at(1))
            let other = try await store.runningJob(worker: "worker-3", lease: .seconds(60), now: at(2))

            #expect(try await store.reclaimExpiredLeases(now: at(30)) == [], "a lease expires after its time")
            let reclaimed = try await store.reclaimExpiredLeases(now: at(31))
            #expect(reclaimed.map(\.id) == [running.id])
            let requeued = try #require(reclaimed.first)
            #expect(requeued.state == .queued && requeued.lease == nil && requeued.updatedAt == at(31))
            #expect(requeued.attempts == 1 && requeued.endedAt == nil)
            #expect(try await store.job(id: running.id) == requeued)
            #expect(try await store.job(id: other.id) == other)

            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-1")) {
                try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .finalizing), now: at(32))
            }
            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-1")) {
                try await store.renewLease(id: running.id, worker: "worker-1", leaseDuration: .seconds(30), now: at(32))
            }

            let retried = try #require(
                try await store.claim(worker: "worker-2", capacity: 1, leaseDuration: .seconds(30), now: at(33)))
            #expect(retried.id == running.id && retried.attempts == 2 && retried.claimedAt == at(33))
            #expect(retried.outputDirectory == "recordings/\(running.id)")
            let recordingAgain = try await store.update(id: running.id, worker: "worker-2", JobProgress(state: .recording),
                                                        now: at(34))
            #expect(recordingAgain.recordingStartedAt == at(1), "when files first started being written")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobWithNoAttemptsLeftFailsWhenItsLeaseExpires(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", lease: .seconds(30), maxAttempts: 1, now: t0)
            let reclaimed = try await store.reclaimExpiredLeases(now: at(40))
            let failed = try #require(reclaimed.first)
            #expect(reclaimed.count == 1 && failed.id == running.id)
            #expect(failed.state == .failed && failed.lease == nil && failed.endedAt == at(40))
            let error = try #require(failed.error)
            #expect(error.contains("worker-1") && error.contains("no attempts left") && error.contains("1 of 1"), "\(error)")
            #expect(try await store.job(id: running.id) == failed)
            #expect(try await store.reclaimExpiredLeases(now: at(50)) == [])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobAskedToStopOrCancelIsNotRunAgainWhenItsWorkerDies(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let stopping = try await store.runningJob(worker: "worker-1", now: t0)
            _ = try await store.requestStop(id: stopping.id, now: at(1))
            let cancelling = try await store.runningJob(worker: "worker-2", now: at(2))
            _ = try await store.cancel(id: cancelling.id, now: at(3))

            let reclaimed = try await store.reclaimExpiredLeases(now: at(60))
            #expect(reclaimed.map(\.id) == [stopping.id, cancelling.id])
            #expect(reclaimed.map(\.state) == [.failed, .cancelled])
            #expect(reclaimed[0].error?.contains("while the recording was being stopped") == true, "\(reclaimed[0].error ?? "no error")")
            #expect(reclaimed.allSatisfy { $0.lease == nil && $0.endedAt == at(60) })
        }
    }
}
