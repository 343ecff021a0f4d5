import Logging
import PostgresNIO

extension PostgresURL {
    /// Opens a connection of its own (no pool, so no `run()` needed), runs `body`, closes it.
    func withConnection<Value: Sendable>(logger: Logger,
                                         _ body: (PostgresConnection) async throws -> Value) async throws -> Value {
        let connection = try await PostgresConnection.connect(
            configuration: try connectionConfiguration(), id: 0, logger: logger)
        let value: Value
        do {
            value = try await body(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return value
    }

    /// Runs one SQL statement over a connection of its own: for setting a server up, such as the
    /// tests' `CREATE DATABASE` for each test.
    func execute(sql: String, logger: Logger = Logger(label: "tapedeck.jobs.postgres")) async throws {
        do {
            try await withConnection(logger: logger) { connection in
                try await connection.execute(PostgresQuery(unsafeSQL: sql), logger: logger)
            }
        } catch {
            throw JobStoreError.database(PostgresErrorReason.describe(error, url: self))
        }
    }
}
