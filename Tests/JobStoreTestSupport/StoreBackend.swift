import Foundation
import Testing

@testable import Jobs

/// The two `JobStore`s the contract suite and the API tests run against. Each test gets a new, empty database.
public enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }

    public func withStore(_ body: (any JobStore) async throws -> Void) async throws {
        try await withStores(1) { stores in try await body(stores[0]) }
    }

    /// `count` stores over one new database, as `count` processes would open it: SQLite pools on
    /// one file, PostgreSQL clients with their own connections.
    public func withStores(_ count: Int, _ body: ([any JobStore]) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-jobs-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            // A directory that does not exist yet: the store makes it.
            let path = directory.appendingPathComponent("data/jobs.sqlite").path
            let stores = try (0..<count).map { _ in try SQLiteJobStore(path: path) }
            try await body(stores)
        case .postgres:
            try await TestPostgres.withDatabase { url in
                let stores = (0..<count).map { _ in PostgresJobStore(url: url, maximumConnections: 8) }
                try await Self.running(stores[...]) { try await body(stores) }
            }
        }
    }

    /// Runs each store's pool (and migrates) around `body`.
    private static func running(_ stores: ArraySlice<PostgresJobStore>, _ body: () async throws -> Void) async throws {
        guard let store = stores.first else { return try await body() }
        try await store.withRunning { try await running(stores.dropFirst(), body) }
    }
}
