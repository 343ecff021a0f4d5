import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `body` between BEGIN and COMMIT, or ROLLBACK when it throws. Unlike postgres-nio's
    /// `withTransaction`, the error `body` threw comes out as it is (a `JobStoreError` stays one).
    func inTransaction<Value: Sendable>(logger: Logger,
                                         _ body: @Sendable (PostgresConnection) async throws -> Value) async throws -> Value {
        try await execute("BEGIN", logger: logger)
        let result: Value
        do {
            result = try await body(self)
        } catch {
            // A ROLLBACK that fails (the connection is gone) has nothing to undo.
            try? await execute("ROLLBACK", logger: logger)
            throw error
        }
        try await execute("COMMIT", logger: logger)
        return result
    }

    /// Runs a statement and reads its result to the end.
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }

    /// The jobs a `SELECT \(PostgresJobRow.columns) FROM tapedeck_jobs …` query reads.
    func jobs(_ query: PostgresQuery, logger: Logger) async throws -> [RecordingJob] {
        var jobs: [RecordingJob] = []
        for try await row in try await self.query(query, logger: logger) {
            jobs.append(try PostgresJobRow.job(from: row))
        }
        return jobs
    }

    /// How many rows a query returns.
    func rowCount(_ query: PostgresQuery, logger: Logger) async throws -> Int {
        var count = 0
        for try await _ in try await self.query(query, logger: logger) { count += 1 }
        return count
    }
}
