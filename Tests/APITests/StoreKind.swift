import Foundation
import Testing

@testable import Jobs

/// The real stores the routes are tested through; each test gets a new, empty database.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    func withStore(_ body: (any JobStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-api-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            try await body(try SQLiteJobStore(path: directory.appendingPathComponent("jobs.sqlite").path))
        case .postgres:
            try await APITestPostgres.withDatabase { url in
                let store = PostgresJobStore(url: url, maximumConnections: 4)
                try await store.withRunning { try await body(store) }
            }
        }
    }
}
