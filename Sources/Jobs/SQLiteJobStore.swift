import Foundation
import GRDB

/// The single-box `JobStore`: one SQLite file in WAL mode, through a GRDB `DatabasePool` (readers
/// never wait for the writer). Every method is one transaction; writes are `BEGIN IMMEDIATE`, so
/// SQLite serializes them — across processes too — and a claim reads and takes its job atomically.
public final class SQLiteJobStore: JobStore {
    /// The database file.
    public let path: String
    private let database: DatabasePool

    /// Opens (or creates, with its parent directory) the database at `path` and migrates its schema.
    public init(path: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            // Another process, or another pool on the same file, may be writing: wait for it
            // instead of failing with SQLITE_BUSY at once.
            configuration.busyMode = .timeout(10)
            configuration.label = "tapedeck-jobs"
            database = try DatabasePool(path: path, configuration: configuration)
            try SQLiteJobSchema.migrator.migrate(database)
        } catch {
            throw JobStoreError.database(Self.reason(error, path: path))
        }
    }

    public func create(_ spec: RecordingJobSpec, cpuCost: Double, maxAttempts: Int, idempotencyKey: String?,
                       now: Date) async throws -> JobCreation {
        let job = RecordingJob(newJob: spec, cpuCost: cpuCost, maxAttempts: maxAttempts,
                               idempotencyKey: idempotencyKey, now: now)
        return try await write { db in
            // BEGIN IMMEDIATE: no other writer can insert the same key between this read and the insert.
            if let key = idempotencyKey,
               let existing = try SQLiteJobRow.fetchOne(db, sql: "SELECT * FROM jobs WHERE idempotency_key = ?",
                                                        arguments: [key]) {
                return try existing.replayed(for: job.spec, key: key)
            }
            try SQLiteJobRow.insert(job, db)
            return .created(job)
        }
    }

    public func job(id: String) async throws -> RecordingJob? {
        try await read { db in try SQLiteJobRow.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) }
    }

    public func list(_ query: JobQuery) async throws -> JobPage {
        let cursor = try query.parsedCursor()
        let limit = query.clampedLimit
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let state = query.state {
            conditions.append("state = ?")
            arguments += [state.rawValue]
        }
        if let room = query.room {
            conditions.append("room = ?")
            arguments += [room]
        }
        if let createdAfter = query.createdAfterMilliseconds {
            conditions.append("created_at >= ?")
            arguments += [createdAfter]
        }
        if let createdBefore = query.createdBeforeMilliseconds {
            conditions.append("created_at < ?")
            arguments += [createdBefore]
        }
        if let cursor {
            conditions.append("(created_at, id) \(query.order.sqlAfterCursor) (?, ?)")
            arguments += [cursor.createdAt, cursor.id]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [limit + 1]
        let sql = "SELECT * FROM jobs \(filter) ORDER BY \(query.order.sqlOrdering) LIMIT ?"
        let rows = try await read { [arguments] db in try SQLiteJobRow.fetchAll(db, sql: sql, arguments: arguments) }
        return JobPage(rows: rows, limit: limit, order: query.order)
    }

    public func requestStop(id: String, now: Date) async throws -> RecordingJob? {
        try await modify(id: id) { job in try job.requestStop(now: now) }
    }

    public func cancel(id: String, now: Date) async throws -> RecordingJob? {
        try await modify(id: id) { job in try job.cancel(now: now) }
    }

    public func promoteDueJobs(now: Date) async throws -> Int {
        let now = now.millisecondsSince1970
        return try await write { db in
            try db.execute(
                sql: "UPDATE jobs SET state = 'queued', updated_at = ? WHERE state = 'scheduled' AND start_at <= ?",
                arguments: [now, now])
            return db.changesCount
        }
    }

    public func claim(worker: String, capacity: Double, leaseDuration: Duration, now: Date) async throws -> RecordingJob? {
        try await write { db in
            guard var job = try SQLiteJobRow.fetchOne(db, sql: """
                SELECT * FROM jobs
                WHERE state = 'queued' AND cpu_cost <= ? AND attempts < max_attempts
                ORDER BY created_at, id LIMIT 1
                """, arguments: [capacity])
            else { return nil }
            job.claim(worker: worker, leaseDuration: leaseDuration, now: now)
            try SQLiteJobRow.save(job, db)
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
        try await write { db in
            let expired = try SQLiteJobRow.fetchAll(db, sql: """
                SELECT * FROM jobs
                WHERE lease_expires_at < ? AND state IN ('joining', 'recording', 'finalizing')
                ORDER BY created_at, id
                """, arguments: [now.millisecondsSince1970])
            return try expired.map { running in
                var job = running
                job.reclaimExpiredLease(now: now)
                try SQLiteJobRow.save(job, db)
                try SQLiteWebhookOutbox.insertEvent(forStateChangeOf: job, from: running.state, db)
                return job
            }
        }
    }

    public func recordWebhookDelivery(id: String, _ delivery: WebhookDelivery) async throws {
        guard try await modify(id: id, { job in job.appendWebhookDelivery(delivery) }) != nil else {
            throw JobStoreError.notFound(id: id)
        }
    }

    public func countByState() async throws -> [JobState: Int] {
        try await read { db in
            var counts: [JobState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS jobs FROM jobs GROUP BY state") {
                let name = try row.decode(String.self, forColumn: "state")
                guard let state = JobState(rawValue: name) else {
                    throw JobStoreError.database("jobs hold an unknown state \"\(name)\"")
                }
                counts[state] = try row.decode(Int.self, forColumn: "jobs")
            }
            return counts
        }
    }

    public func markFilesPurged(id: String, now: Date) async throws -> RecordingJob? {
        try await modify(id: id) { job in try job.markFilesPurged(now: now) }
    }

    public func jobsWithFilesToPurge(endedBefore: Date, limit: Int) async throws -> [RecordingJob] {
        try await read { db in
            try SQLiteJobRow.fetchAll(db, sql: """
                SELECT * FROM jobs
                WHERE ended_at < ? AND files_purged_at IS NULL
                ORDER BY ended_at, id LIMIT ?
                """, arguments: [endedBefore.millisecondsSince1970, max(limit, 0)])
        }
    }

    /// Reads job `id`, changes it with `change` and writes it back, with the webhook event the
    /// change makes (if any), in one transaction; nil when there is no such job.
    private func modify(id: String, _ change: @escaping @Sendable (inout RecordingJob) throws -> Void) async throws -> RecordingJob? {
        try await write { db in
            guard var job = try SQLiteJobRow.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let previous = job.state
            try change(&job)
            try SQLiteJobRow.save(job, db)
            try SQLiteWebhookOutbox.insertEvent(forStateChangeOf: job, from: previous, db)
            return job
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.write(body)
        } catch let error as JobStoreError {
            throw error
        } catch {
            throw JobStoreError.database(Self.reason(error, path: path))
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch let error as JobStoreError {
            throw error
        } catch {
            throw JobStoreError.database(Self.reason(error, path: path))
        }
    }

    /// SQLite's own words (GRDB's `DatabaseError` names the code, the message and the statement,
    /// never its arguments), and which file.
    private static func reason(_ error: any Error, path: String) -> String {
        "\(path): \(error)"
    }
}
