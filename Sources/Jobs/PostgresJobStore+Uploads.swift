import Foundation
import Logging
import PostgresNIO

extension PostgresJobStore {
    public func saveUploadState(id: String, worker: String, name: String, state: Data, now: Date) async throws {
        let text = String(decoding: state, as: UTF8.self)
        try await transaction { connection, logger in
            try await Self.requireLease(id: id, worker: worker, connection, logger)
            try await connection.execute("""
                INSERT INTO tapedeck_uploads (job_id, name, state, updated_at)
                VALUES (\(id), \(name), \(text)::jsonb, \(PostgresTimestamp(now)))
                ON CONFLICT (job_id, name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                """, logger: logger)
        }
    }

    public func uploadStates(id: String) async throws -> [String: Data] {
        try await statement { connection, logger in
            var states: [String: Data] = [:]
            for try await (name, state) in try await connection.query(
                "SELECT name, state::text FROM tapedeck_uploads WHERE job_id = \(id)", logger: logger
            ).decode((String, String).self) {
                states[name] = Data(state.utf8)
            }
            return states
        }
    }

    public func removeUploadState(id: String, worker: String, name: String) async throws {
        try await transaction { connection, logger in
            try await Self.requireLease(id: id, worker: worker, connection, logger)
            try await connection.execute(
                "DELETE FROM tapedeck_uploads WHERE job_id = \(id) AND name = \(name)", logger: logger)
        }
    }

    /// Locks the job's row (`FOR SHARE`: a lease change waits for this transaction) and checks
    /// that `worker` holds it.
    private static func requireLease(id: String, worker: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard let job = try await connection.jobs(
            "SELECT \(unescaped: PostgresJobRow.columns) FROM tapedeck_jobs WHERE id = \(id) FOR SHARE", logger: logger
        ).first else { throw JobStoreError.notFound(id: id) }
        try job.requireLease(heldBy: worker)
    }
}
