import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// What the stores keep for delivering a job's files to object storage, against both stores:
/// the job's storage fields, upload states, and a job whose files were finished.
@Suite struct JobStoreDeliveryContractTests {
    @Test(arguments: StoreBackend.allCases)
    func storageFieldsAndLocationsAreKept(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var spec = recordingSpec()
            spec.storage = "s3://archive/meetings/"
            spec.keepLocal = true
            let created = try await store.createJob(spec, now: t0)
            #expect(try await store.job(id: created.id)?.spec == spec)
            let running = try #require(try await store.claim(worker: "w", capacity: 1, leaseDuration: .seconds(30), now: at(1)))
            #expect(!running.filesFinished && running.manifestLocation == nil)

            let output = JobOutput(path: "alice.webm", participant: "alice", segment: 1, bytes: 10, finished: true,
                                   durationSeconds: 1, location: "s3://archive/meetings/\(created.id)/alice.webm")
            _ = try await store.update(id: created.id, worker: "w", JobProgress(state: .finalizing, outputs: [output], filesFinished: true),
                                       now: at(2))
            let completed = try await store.update(
                id: created.id, worker: "w", JobProgress(state: .completed, manifestLocation: "s3://archive/meetings/m.json"), now: at(3))
            #expect(completed.filesFinished && completed.manifestLocation == "s3://archive/meetings/m.json")
            #expect(completed.outputs == [output])
            #expect(try await store.job(id: created.id) == completed)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func uploadStatesAreKeptPerFileForTheWorkerHoldingTheJob(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", now: t0)
            #expect(try await store.uploadStates(id: running.id).isEmpty)

            let first = Data(#"{"uploadID":"u1","parts":[]}"#.utf8)
            let second = Data(#"{"uploadID":"u1","parts":[{"partNumber":1}]}"#.utf8)
            try await store.saveUploadState(id: running.id, worker: "worker-1", name: "alice.webm", state: first, now: at(1))
            try await store.saveUploadState(id: running.id, worker: "worker-1", name: "bob.webm", state: first, now: at(1))
            try await store.saveUploadState(id: running.id, worker: "worker-1", name: "alice.webm", state: second, now: at(2))
            let states = try await store.uploadStates(id: running.id)
            #expect(Set(states.keys) == ["alice.webm", "bob.webm"])
            // PostgreSQL keeps jsonb, which may re-space the text: compare what it means.
            #expect(try JSONSerialization.jsonObject(with: states["alice.webm"]!) as? NSDictionary
                    == JSONSerialization.jsonObject(with: second) as? NSDictionary)

            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-2")) {
                try await store.saveUploadState(id: running.id, worker: "worker-2", name: "alice.webm", state: first, now: at(3))
            }
            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-2")) {
                try await store.removeUploadState(id: running.id, worker: "worker-2", name: "alice.webm")
            }
            await #expect(throws: JobStoreError.notFound(id: "no-such-job")) {
                try await store.saveUploadState(id: "no-such-job", worker: "worker-1", name: "a", state: first, now: at(3))
            }
            try await store.removeUploadState(id: running.id, worker: "worker-1", name: "alice.webm")
            #expect(Set(try await store.uploadStates(id: running.id).keys) == ["bob.webm"])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobWhoseWorkerDiedDeliveringGoesBackToTheQueueDespiteItsStop(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", lease: .seconds(10), now: t0)
            _ = try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .recording), now: at(1))
            _ = try await store.requestStop(id: running.id, now: at(2))
            _ = try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .finalizing, filesFinished: true),
                                       now: at(3))
            let reclaimed = try await store.reclaimExpiredLeases(now: at(20))
            #expect(reclaimed.map(\.state) == [.queued], "delivered by the next worker, not failed as an unfinished stop")
            let next = try #require(try await store.claim(worker: "worker-2", capacity: 1, leaseDuration: .seconds(10), now: at(21)))
            #expect(next.id == running.id && next.filesFinished && next.attempts == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRecordingStoppedButNotFinishedStillEndsWhenItsWorkerDies(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", lease: .seconds(10), now: t0)
            _ = try await store.requestStop(id: running.id, now: at(2))
            let reclaimed = try await store.reclaimExpiredLeases(now: at(20))
            #expect(reclaimed.map(\.state) == [.failed])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobWithNoAttemptsLeftFailsSayingItsFilesWereBeingDelivered(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", lease: .seconds(10), maxAttempts: 1, now: t0)
            _ = try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .finalizing, filesFinished: true),
                                       now: at(1))
            let failed = try #require(try await store.reclaimExpiredLeases(now: at(20)).first)
            #expect(failed.state == .failed)
            #expect(failed.error?.contains("while its files were being delivered") == true, "\(failed.error ?? "")")
        }
    }
}
