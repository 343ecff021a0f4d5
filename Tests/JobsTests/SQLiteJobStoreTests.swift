import Foundation
import Testing

@testable import Jobs

/// What only the SQLite store has: its file.
@Suite struct SQLiteJobStoreTests {
    @Test func jobsOutliveTheStoreThatWroteThem() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-jobs-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("a/b/jobs.sqlite").path
        let store = try SQLiteJobStore(path: path)
        let job = try await store.createJob()
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "WAL mode: readers never wait for the writer")
        let reopened = try SQLiteJobStore(path: path)
        #expect(try await reopened.job(id: job.id) == job)
    }

    @Test func aFileThatCannotBeCreatedIsADatabaseErrorNamingIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-jobs-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A regular file where the store's directory should be.
        let blocker = directory.appendingPathComponent("not-a-directory")
        _ = FileManager.default.createFile(atPath: blocker.path, contents: Data("x".utf8))
        let path = blocker.appendingPathComponent("jobs.sqlite").path
        let reason = await databaseErrorReason { _ = try SQLiteJobStore(path: path) }
        #expect(reason.contains(path), "\(reason)")
    }
}
