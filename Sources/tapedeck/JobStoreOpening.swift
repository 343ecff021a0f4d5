import Foundation
import Jobs
import Logging
import ServiceLifecycle

/// A job store opened for `serve` or `worker`, with the service that keeps it working (the
/// PostgreSQL pool), which must run for as long as anything uses the store.
struct OpenedJobStore {
    var store: any JobStore
    var service: (any Service)?

    static func open(_ location: JobDatabaseLocation, logger: Logger) async throws -> OpenedJobStore {
        switch location {
        case .sqlite(let path):
            return OpenedJobStore(store: try SQLiteJobStore(path: path), service: nil)
        case .postgres(let url):
            let store = try PostgresJobStore(url: url, logger: logger)
            // Migrating over a connection of its own says at once when the server cannot be
            // reached or refuses the login, before anything else starts.
            try await store.migrate()
            return OpenedJobStore(store: store, service: PostgresPoolService(store: store))
        }
    }
}

/// Runs the PostgreSQL store's connection pool under the service group.
private struct PostgresPoolService: Service {
    let store: PostgresJobStore

    func run() async throws {
        await store.run()
    }
}
