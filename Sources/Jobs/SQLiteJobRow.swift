import Foundation
import GRDB

/// A job as a row of the SQLite `jobs` table, and back.
enum SQLiteJobRow {
    /// Reads the jobs an SQL query selects (`SELECT * FROM jobs …`).
    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [RecordingJob] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map(job(from:))
    }

    static func fetchOne(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> RecordingJob? {
        try Row.fetchOne(db, sql: sql, arguments: arguments).map(job(from:))
    }

    static func insert(_ job: RecordingJob, _ db: Database) throws {
        let columns = try values(of: job)
        let names = columns.map(\.name).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO jobs (\(names)) VALUES (\(placeholders))",
                       arguments: StatementArguments(columns.map(\.value)))
    }

    /// Writes every column of the job's row back.
    static func save(_ job: RecordingJob, _ db: Database) throws {
        let columns = try values(of: job).filter { $0.name != "id" }
        let assignments = columns.map { "\($0.name) = ?" }.joined(separator: ", ")
        try db.execute(sql: "UPDATE jobs SET \(assignments) WHERE id = ?",
                       arguments: StatementArguments(columns.map(\.value) + [job.id]))
    }

    private static func values(of job: RecordingJob) throws -> [(name: String, value: (any DatabaseValueConvertible)?)] {
        [
            ("id", job.id),
            ("state", job.state.rawValue),
            ("room", job.spec.room),
            ("signaling_url", job.spec.signalingURL),
            ("recipe", job.spec.recipe),
            ("start_at", job.spec.startAt?.millisecondsSince1970),
            ("stop_at", job.spec.stopAt?.millisecondsSince1970),
            ("max_duration_s", job.spec.maxDurationSeconds),
            ("stop_when_empty_s", job.spec.stopWhenEmptySeconds),
            ("webhook_url", job.spec.webhookURL),
            ("metadata", try JobColumnJSON.encode(job.spec.metadata)),
            ("cpu_cost", job.cpuCost),
            ("created_at", job.createdAt.millisecondsSince1970),
            ("updated_at", job.updatedAt.millisecondsSince1970),
            ("claimed_at", job.claimedAt?.millisecondsSince1970),
            ("recording_started_at", job.recordingStartedAt?.millisecondsSince1970),
            ("ended_at", job.endedAt?.millisecondsSince1970),
            ("attempts", job.attempts),
            ("max_attempts", job.maxAttempts),
            ("error", job.error),
            ("stop_requested", job.stopRequested),
            ("cancel_requested", job.cancelRequested),
            ("lease_worker", job.lease?.worker),
            ("lease_expires_at", job.lease?.expiresAt.millisecondsSince1970),
            ("output_directory", job.outputDirectory),
            ("outputs", try JobColumnJSON.encode(job.outputs)),
            ("files_purged_at", job.filesPurgedAt?.millisecondsSince1970),
            ("statistics", try job.statistics.map { statistics throws(JobStoreError) in try JobColumnJSON.encode(statistics) }),
            ("webhook_deliveries", try JobColumnJSON.encode(job.webhookDeliveries)),
            ("idempotency_key", job.idempotencyKey),
            ("storage", job.spec.storage),
            ("keep_local", job.spec.keepLocal),
            ("files_finished", job.filesFinished),
            ("manifest_location", job.manifestLocation),
            ("signaling_token", job.spec.signalingToken?.revealed),
            ("ice_servers", try job.spec.iceServers.storedJSON()),
            ("bot_name", job.spec.botName),
            ("lease_generation", job.leaseGeneration),
            ("render_of", job.spec.renderOf),
        ]
    }

    static func job(from row: Row) throws -> RecordingJob {
        let id = try row.decode(String.self, forColumn: "id")
        func time(_ column: String) throws -> Date? {
            try row.decode(Int64?.self, forColumn: column).map(Date.init(millisecondsSince1970:))
        }
        func json<Value: Decodable>(_ type: Value.Type, _ column: String) throws -> Value? {
            guard let text = try row.decode(String?.self, forColumn: column) else { return nil }
            return try JobColumnJSON.decode(type, from: text, column: column)
        }
        func required<Value>(_ value: Value?, _ column: String) throws -> Value {
            guard let value else { throw JobStoreError.database("column \(column) of job \(id) is NULL") }
            return value
        }
        let stateName = try row.decode(String.self, forColumn: "state")
        guard let state = JobState(rawValue: stateName) else {
            throw JobStoreError.database("job \(id) has an unknown state \"\(stateName)\"")
        }
        let spec = RecordingJobSpec(
            room: try row.decode(String.self, forColumn: "room"),
            signalingURL: try row.decode(String.self, forColumn: "signaling_url"),
            recipe: try row.decode(String.self, forColumn: "recipe"),
            startAt: try time("start_at"),
            stopAt: try time("stop_at"),
            maxDurationSeconds: try row.decode(Int?.self, forColumn: "max_duration_s"),
            stopWhenEmptySeconds: try row.decode(Int?.self, forColumn: "stop_when_empty_s"),
            webhookURL: try row.decode(String?.self, forColumn: "webhook_url"),
            metadata: try required(json([String: String].self, "metadata"), "metadata"),
            storage: try row.decode(String?.self, forColumn: "storage"),
            keepLocal: try row.decode(Bool?.self, forColumn: "keep_local"),
            signalingToken: try row.decode(String?.self, forColumn: "signaling_token").map(SecretText.init),
            iceServers: try .fromStoredJSON(row.decode(String?.self, forColumn: "ice_servers")),
            botName: try row.decode(String?.self, forColumn: "bot_name"),
            renderOf: try row.decode(String?.self, forColumn: "render_of"))
        var job = RecordingJob(
            id: id, state: state, spec: spec, cpuCost: try row.decode(Double.self, forColumn: "cpu_cost"),
            createdAt: try required(time("created_at"), "created_at"),
            maxAttempts: try row.decode(Int.self, forColumn: "max_attempts"),
            idempotencyKey: try row.decode(String?.self, forColumn: "idempotency_key"))
        job.updatedAt = try required(time("updated_at"), "updated_at")
        job.claimedAt = try time("claimed_at")
        job.recordingStartedAt = try time("recording_started_at")
        job.endedAt = try time("ended_at")
        job.attempts = try row.decode(Int.self, forColumn: "attempts")
        job.error = try row.decode(String?.self, forColumn: "error")
        job.stopRequested = try row.decode(Bool.self, forColumn: "stop_requested")
        job.cancelRequested = try row.decode(Bool.self, forColumn: "cancel_requested")
        if let worker = try row.decode(String?.self, forColumn: "lease_worker") {
            job.lease = JobLease(worker: worker, expiresAt: try required(time("lease_expires_at"), "lease_expires_at"))
        }
        job.leaseGeneration = try row.decode(Int.self, forColumn: "lease_generation")
        job.outputDirectory = try row.decode(String?.self, forColumn: "output_directory")
        job.outputs = try required(json([JobOutput].self, "outputs"), "outputs")
        job.filesPurgedAt = try time("files_purged_at")
        job.statistics = try json(JobStatistics.self, "statistics")
        job.webhookDeliveries = try required(json([WebhookDelivery].self, "webhook_deliveries"), "webhook_deliveries")
        job.filesFinished = try row.decode(Bool.self, forColumn: "files_finished")
        job.manifestLocation = try row.decode(String?.self, forColumn: "manifest_location")
        return job
    }
}
