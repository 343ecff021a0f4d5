import Foundation
import JobStoreTestSupport
import Logging
import Synchronization
import Testing

@testable import Jobs

/// Purged files and the retention sweep, against both stores and real folders on disk.
@Suite struct JobStoreFilesContractTests {
    /// A job `worker` ran to `completed` at `endedAt`, with a folder holding one file under `data`.
    private func endedJob(_ store: any JobStore, data: URL, createdAt: Date, endedAt: Date) async throws -> RecordingJob {
        _ = try await store.createJob(now: createdAt)
        let claimed = try #require(try await store.claim(worker: "w", capacity: 1, leaseDuration: .seconds(30), now: createdAt))
        for state in [JobState.recording, .finalizing] {
            _ = try await store.update(id: claimed.id, worker: "w", JobProgress(state: state), now: createdAt)
        }
        let output = JobOutput(path: "alice/camera.webm", participant: "alice", segment: 1, bytes: 5, finished: true, durationSeconds: 1)
        let ended = try await store.update(id: claimed.id, worker: "w", JobProgress(state: .completed, outputs: [output]), now: endedAt)
        let folder = data.appendingPathComponent(try #require(ended.outputDirectory))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("alice"), withIntermediateDirectories: true)
        try Data("webm!".utf8).write(to: folder.appendingPathComponent(output.path))
        return ended
    }

    private func withDataDirectory(_ body: (URL) async throws -> Void) async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-files-\(UUID())")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        try await body(data)
    }

    @Test(arguments: StoreBackend.allCases)
    func onlyAnEndedJobsFilesCanBeMarkedPurgedAndTheFirstTimeStays(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let queued = try await store.createJob()
            await #expect(throws: JobStoreError.notEnded(id: queued.id, state: .queued)) {
                try await store.markFilesPurged(id: queued.id, now: at(1))
            }
            #expect(try await store.markFilesPurged(id: "no-such-job", now: at(1)) == nil)

            let cancelled = try #require(try await store.cancel(id: queued.id, now: at(2)))
            let purged = try #require(try await store.markFilesPurged(id: queued.id, now: at(3)))
            #expect(purged.filesPurgedAt == at(3) && purged.updatedAt == cancelled.updatedAt)
            #expect(try await store.job(id: queued.id) == purged)
            let again = try await store.markFilesPurged(id: queued.id, now: at(4))
            #expect(again?.filesPurgedAt == at(3))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func jobsWithFilesToPurgeAreTheEndedUnpurgedOnesBeforeTheCutoffLongestEndedFirst(_ backend: StoreBackend) async throws {
        try await withDataDirectory { data in
            try await backend.withStore { store in
                let late = try await endedJob(store, data: data, createdAt: at(0), endedAt: at(50))
                let early = try await endedJob(store, data: data, createdAt: at(1), endedAt: at(10))
                let recent = try await endedJob(store, data: data, createdAt: at(2), endedAt: at(200))
                let purged = try await endedJob(store, data: data, createdAt: at(3), endedAt: at(5))
                _ = try await store.markFilesPurged(id: purged.id, now: at(6))
                _ = try await store.runningJob(now: at(4))
                _ = try await store.createJob(now: at(5))

                #expect(try await store.jobsWithFilesToPurge(endedBefore: at(100), limit: 10).map(\.id) == [early.id, late.id])
                #expect(try await store.jobsWithFilesToPurge(endedBefore: at(100), limit: 1).map(\.id) == [early.id])
                #expect(try await store.jobsWithFilesToPurge(endedBefore: at(10), limit: 10).isEmpty, "ended exactly at the cutoff: kept")
                #expect(try await store.jobsWithFilesToPurge(endedBefore: at(1000), limit: 10).map(\.id) == [early.id, late.id, recent.id])
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func theRetentionSweepDeletesTheFoldersOfJobsEndedLongerAgoAndNothingElse(_ backend: StoreBackend) async throws {
        try await withDataDirectory { data in
            try await backend.withStore { store in
                let day = 86_400.0
                let old = try await endedJob(store, data: data, createdAt: at(0), endedAt: at(day))
                let young = try await endedJob(store, data: data, createdAt: at(1), endedAt: at(9 * day))
                // A recording still running has a folder being written: never touched.
                let running = try await store.runningJob(now: at(2))
                let runningFolder = data.appendingPathComponent(try #require(running.outputDirectory))
                try FileManager.default.createDirectory(at: runningFolder, withIntermediateDirectories: true)

                let clock = TestClock(at(10 * day))
                let sweep = RetentionSweep(store: store, purger: JobFilesPurger(dataDirectory: data.path),
                                           retention: .seconds(7 * day), now: { clock.now }, logger: Logger(label: "test"))
                let purged = await sweep.sweep()
                #expect(purged.map(\.id) == [old.id])
                #expect(purged.first?.filesPurgedAt == at(10 * day))
                #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent(old.outputDirectory!).path))
                #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent(young.outputDirectory!).path))
                #expect(FileManager.default.fileExists(atPath: runningFolder.path))
                #expect(try await store.job(id: old.id)?.filesPurgedAt == at(10 * day))
                #expect(await sweep.sweep().isEmpty, "a purged job is not swept again")

                clock.now = at(17 * day)
                #expect(await sweep.sweep().map(\.id) == [young.id])
                #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent(young.outputDirectory!).path))
                #expect(FileManager.default.fileExists(atPath: runningFolder.path))
            }
        }
    }

    @Test func aFolderOutsideTheDataDirectoryIsNeverAJobsFolder() {
        for path in ["recordings/a", "a", "recordings/a.b"] { #expect(JobFilesPurger.isContained(relativePath: path), "\(path)") }
        for path in ["", "/etc", "../x", "recordings/../../x", "recordings/./a", "a//b", "a/", "..", "a\0b"] {
            #expect(!JobFilesPurger.isContained(relativePath: path), "\(path)")
        }
    }
}

/// A wall clock the test sets.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
