import Foundation
import Logging
import PostgresNIO

/// The fleet's `JobStore`: PostgreSQL through a postgres-nio `PostgresClient` (a connection pool).
/// Every method is one transaction; a claim takes the oldest fitting job with
/// `FOR UPDATE SKIP LOCKED`, so workers claiming at once get different jobs without waiting on
/// each other, and every other change locks the job's row (`FOR UPDATE`) while it reads and writes it.
///
/// The pool works only while `run()` is running: its owner runs it in a task (or in a
/// ServiceLifecycle service's `run()`: a graceful shutdown ends it too), calls `migrate()` once,
/// and cancels that task to close every connection; queries then fail at once. `withRunning(_:)`
/// does all three around a body.
public final class PostgresJobStore: JobStore {
    public let url: PostgresURL
    private let client: PostgresClient
    private let logger: Logger

    /// A store for the database at `url`; nothing connects before `run()` and the first query.
    public init(url: PostgresURL, maximumConnections: Int = 20,
                logger: Logger = Logger(label: "tapedeck.jobs.postgres")) {
        self.url = url
        self.logger = logger
        var configuration = url.clientConfiguration
        configuration.options.maximumConnections = maximumConnections
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// A store for `postgres://user:password@host:port/database[?sslmode=…]`.
    public convenience init(url: String, maximumConnections: Int = 20,
                            logger: Logger = Logger(label: "tapedeck.jobs.postgres")) throws {
        self.init(url: try PostgresURL(url), maximumConnections: maximumConnections, logger: logger)
    }

    /// Runs the connection pool until the task running it is cancelled (or, under a
    /// ServiceLifecycle `ServiceGroup`, shuts down gracefully); then every connection is closed
    /// and queries fail. Call it once.
    public func run() async {
        await client.run()
    }

    /// Brings the schema up to date over a connection of its own, so it needs no `run()` and a
    /// server that cannot be reached or refuses the login says why at once. Safe to call from
    /// several processes at the same time. Returns the migration versions it applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await performing {
            try await url.withConnection(logger: logger) { connection in
                try await PostgresJobSchema.migrate(connection, logger: logger)
            }
        }
    }

    /// Runs the pool, migrates the schema, runs `body`, then closes the pool.
    public func withRunning<Value: Sendable>(_ body: () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.run() }
            defer { group.cancelAll() }
            try await migrate()
            return try await body()
        }
    }

    public func create(_ spec: RecordingJobSpec, cpuCost: Double, maxAttempts: Int, idempotencyKey: String?,
                       now: Date) async throws -> JobCreation {
        let job = RecordingJob(newJob: spec, cpuCost: cpuCost, maxAttempts: maxAttempts,
                               idempotencyKey: idempotencyKey, now: now)
        return try await transaction { connection, logger in
            if try await connection.rowCount(try PostgresJobRow.insertUnlessKeyTaken(job), logger: logger) == 1 {
                return .created(job)
            }
            // The key is taken. If by a create still in progress, the INSERT waited for it to
            // commit, so this read (a new snapshot, in READ COMMITTED) sees its job.
            guard let key = idempotencyKey,
                  let existing = try await connection.jobs(
                    "SELECT \(unescaped: PostgresJobRow.columns) FROM tapedeck_jobs WHERE idempotency_key = \(key)",
                    logger: logger).first
            else { throw JobStoreError.database("job \(job.id) was not inserted, yet its idempotency key is not taken") }
            return try existing.replayed(for: job.spec, key: key)
        }
    }

    public func job(id: String) async throws -> RecordingJob? {
        try await statement { connection, logger in
            try await connection.jobs(
                "SELECT \(unescaped: PostgresJobRow.columns) FROM tapedeck_jobs WHERE id = \(id)", logger: logger
            ).first
        }
    }

    public func list(_ query: JobQuery) async throws -> JobPage {
        let cursor = try query.parsedCursor()
        let limit = query.clampedLimit
        var binds = PostgresBindings()
        var conditions: [String] = []
        if let state = query.state {
            conditions.append("state = \(PostgresColumnValue.text(state.rawValue).bind(into: &binds))")
        }
        if let room = query.room {
            conditions.append("room = \(PostgresColumnValue.text(room).bind(into: &binds))")
        }
        if let createdAfter = query.createdAfterMilliseconds {
            let placeholder = PostgresColumnValue.time(Date(millisecondsSince1970: createdAfter)).bind(into: &binds)
            conditions.append("created_at >= \(placeholder)")
        }
        if let createdBefore = query.createdBeforeMilliseconds {
            let placeholder = PostgresColumnValue.time(Date(millisecondsSince1970: createdBefore)).bind(into: &binds)
            conditions.append("created_at < \(placeholder)")
        }
        if let cursor {
            let createdAt = PostgresColumnValue.time(Date(millisecondsSince1970: cursor.createdAt)).bind(into: &binds)
            let id = PostgresColumnValue.text(cursor.id).bind(into: &binds)
            conditions.append("(created_at, id) \(query.order.sqlAfterCursor) (\(createdAt), \(id))")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let limitPlaceholder = PostgresColumnValue.integer(limit + 1).bind(into: &binds)
        let sql = PostgresQuery(unsafeSQL: """
            SELECT \(PostgresJobRow.columns) FROM tapedeck_jobs \(filter)
            ORDER BY \(query.order.sqlOrdering) LIMIT \(limitPlaceholder)
            """, binds: binds)
        let rows = try await statement { connection, logger in try await connection.jobs(sql, logger: logger) }
        return JobPage(rows: rows, limit: limit, order: query.order)
    }

    public func requestStop(id: String, now: Date) async throws -> RecordingJob? {
        try await modify(id: id) { job in try job.requestStop(now: now) }
    }

    public func cancel(id: String, now: Date) async throws -> RecordingJob? {
        try await modify(id: id) { job in try job.cancel(now: now) }
    }

    public func promoteDueJobs(now: Date) async throws -> Int {
        let now = PostgresTimestamp(now)
        return try await transaction { connection, logger in
            var promoted = 0
            for try await count in try await connection.query("""
                WITH promoted AS (
                    UPDATE tapedeck_jobs SET state = 'queued', updated_at = \(now)
                    WHERE state = 'scheduled' AND start_at <= \(now)
                    RETURNING 1
                )
                SELECT count(*) FROM promoted
                """, logger: logger).decode(Int.self) {
                promoted = count
            }
            return promoted
        }
    }

    public func claim(worker: String, capacity: Double, leaseDuration: Duration, now: Date) async throws -> RecordingJob? {
        try await transaction { connection, logger in
            // SKIP LOCKED: a job another worker is claiming right now is passed over, not waited for.
            guard var job = try await connection.jobs("""
                SELECT \(unescaped: PostgresJobRow.columns) FROM tapedeck_jobs
                WHERE state = 'queued' AND cpu_cost <= \(capacity) AND attempts < max_attempts
                ORDER BY created_at, id LIMIT 1
                FOR UPDATE SKIP LOCKED
                """, logger: logger).first
            else { return nil }
            job.claim(worker: worker, leaseDuration: leaseDuration, now: now)
            try await connection.execute(try PostgresJobRow.save(job), logger: logger)
            return job
        }
    }

    public func renewLease(id: String, worker: String, leaseDuration: Duration, now: Date) async throws -> RecordingJob {
        guard let job = try await modify(id: id, { job in
            try job.renewLease(worker: worker, leaseDuration: leaseDuration, now: now)
        }) else { throw JobStoreError.notFound(id: id) }
        return job
    }

    public func confirmLease(id: String, worker: String, generation: Int, leaseDuration: Duration,
                             now: Date) async throws -> RecordingJob {
        guard let job = try await modify(id: id, { job in
            try job.confirmLease(worker: worker, generation: generation, leaseDuration: leaseDuration, now: now)
        }) else { throw JobStoreError.notFound(id: id) }
        return job
    }

    public func update(id: String, worker: String, _ progress: JobProgress, now: Date) async throws -> RecordingJob {
        guard let job = try await modify(id: id, { job in try job.record(progress, worker: worker, now: now) })
        else { throw JobStoreError.notFound(id: id) }
        return job
    }

    public func release(id: String, worker: String, error: String?, now: Date) async throws -> RecordingJob {
        guard let job = try await modify(id: id, { job in try job.release(worker: worker, error: error, now: now) })
        else { throw JobStoreError.notFound(id: id) }
        return job
    }

    public func reclaimExpiredLeases(now: Date) async throws -> [RecordingJob] {
        try await transaction { connection, logger in
            // SKIP LOCKED: a job whose row is locked is being renewed or updated at this moment.
            let expired = try await connection.jobs("""
                SELECT \(unescaped: PostgresJobRow.columns) FROM tapedeck_jobs
                WHERE lease_expires_at < \(PostgresTimestamp(now))
                  AND state IN ('joining', 'recording', 'finalizing')
                ORDER BY created_at, id
                FOR UPDATE SKIP LOCKED
                """, logger: logger)
            var reclaimed: [RecordingJob] = []
            for running in expired {
                var job = running
                job.reclaimExpiredLease(now: now)
                try await connection.execute(try PostgresJobRow.save(job), logger: logger)
                try await PostgresWebhookOutbox.insertEvent(forStateChangeOf: job, from: running.state, connection, logger: logger)
                reclaimed.append(job)
            }
            return reclaimed
        }
    }

    public func recordWebhookDelivery(id: String, _ delivery: WebhookDelivery) async throws {
        guard try await modify(id: id, { job in job.appendWebhookDelivery(delivery) }) != nil else {
            throw JobStoreError.notFound(id: id)
        }
    }

    public func countByState() async throws -> [JobState: Int] {
        try await statement { connection, logger in
            var counts: [JobState: Int] = [:]
            for try await (name, count) in try await connection.query(
                "SELECT state, count(*) FROM tapedeck_jobs GROUP BY state", logger: logger
            ).decode((String, Int).self) {
                guard let state = JobState(rawValue: name) else {
                    throw JobStoreError.database("tapedeck_jobs holds an unknown state \"\(name)\"")
                }
                counts[state] = count
            }
            return counts
        }
    }

    public func markFilesPurged(id: String, now: Date) async throws -> RecordingJob? {
        try await modify(id: id) { job in try job.markFilesPurged(now: now) }
    }

    public func jobsWithFilesToPurge(endedBefore: Date, limit: Int) async throws -> [RecordingJob] {
        try await statement { connection, logger in
            try await connection.jobs("""
                SELECT \(unescaped: PostgresJobRow.columns) FROM tapedeck_jobs
                WHERE ended_at < \(PostgresTimestamp(endedBefore)) AND files_purged_at IS NULL
                ORDER BY ended_at, id LIMIT \(max(limit, 0))
                """, logger: logger)
        }
    }

    /// Reads job `id` with its row locked, changes it with `change` and writes it back, with the
    /// webhook event the change makes (if any), in one transaction; nil when there is no such job.
    private func modify(id: String, _ change: @escaping @Sendable (inout RecordingJob) throws -> Void) async throws -> RecordingJob? {
        try await transaction { connection, logger in
            guard var job = try await connection.jobs(
                "SELECT \(unescaped: PostgresJobRow.columns) FROM tapedeck_jobs WHERE id = \(id) FOR UPDATE",
                logger: logger
            ).first else { return nil }
            let previous = job.state
            try change(&job)
            try await connection.execute(try PostgresJobRow.save(job), logger: logger)
            try await PostgresWebhookOutbox.insertEvent(forStateChangeOf: job, from: previous, connection, logger: logger)
            return job
        }
    }

    /// Runs `body`, one statement (a transaction by itself), on a pooled connection: a read needs
    /// no BEGIN and COMMIT around it.
    func statement<Value: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Value
    ) async throws -> Value {
        let logger = logger
        return try await performing {
            try await client.withConnection { connection in try await body(connection, logger) }
        }
    }

    /// Runs `body` in a transaction on a pooled connection.
    func transaction<Value: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Value
    ) async throws -> Value {
        let logger = logger
        return try await performing {
            try await client.withConnection { connection in
                try await connection.inTransaction(logger: logger) { connection in try await body(connection, logger) }
            }
        }
    }

    /// Runs `body`, turning what postgres-nio throws into `JobStoreError.database` with the server's
    /// own words; a `JobStoreError` passes through.
    private func performing<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as JobStoreError {
            throw error
        } catch {
            throw JobStoreError.database(PostgresErrorReason.describe(error, url: url))
        }
    }
}
