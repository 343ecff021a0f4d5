import Foundation
import Testing

@testable import Jobs

/// The two `JobStore`s the contract suite runs against. Each test gets a new, empty database.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite

    var testDescription: String { rawValue }

    func withStore(_ body: (any JobStore) async throws -> Void) async throws {
        try await withStores(1) { stores in try await body(stores[0]) }
    }

    /// `count` stores over one new database, as `count` processes would open it: SQLite pools on one file.
    func withStores(_ count: Int, _ body: ([any JobStore]) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-jobs-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            // A directory that does not exist yet: the store makes it.
            let path = directory.appendingPathComponent("data/jobs.sqlite").path
            let stores = try (0..<count).map { _ in try SQLiteJobStore(path: path) }
            try await body(stores)
        }
    }
}
