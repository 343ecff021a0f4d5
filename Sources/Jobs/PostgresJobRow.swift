import Foundation
import PostgresNIO

/// A job as a row of the PostgreSQL `tapedeck_jobs` table, and back.
enum PostgresJobRow {
    /// The columns a job is read from, for `SELECT \(PostgresJobRow.columns) FROM tapedeck_jobs …`.
    static let columns = columnNames.joined(separator: ", ")

    /// Inserts the job unless its idempotency key is taken (then the query returns no row).
    static func insertUnlessKeyTaken(_ job: RecordingJob) throws -> PostgresQuery {
        var binds = PostgresBindings()
        let values = try self.values(of: job)
        let placeholders = values.map { $0.value.bind(into: &binds) }
        return PostgresQuery(unsafeSQL: """
            INSERT INTO tapedeck_jobs (\(values.map(\.name).joined(separator: ", ")))
            VALUES (\(placeholders.joined(separator: ", ")))
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """, binds: binds)
    }

    /// Writes every column of the job's row back.
    static func save(_ job: RecordingJob) throws -> PostgresQuery {
        var binds = PostgresBindings()
        let assignments = try values(of: job).filter { $0.name != "id" }.map { "\($0.name) = \($0.value.bind(into: &binds))" }
        let id = PostgresColumnValue.text(job.id).bind(into: &binds)
        return PostgresQuery(unsafeSQL: "UPDATE tapedeck_jobs SET \(assignments.joined(separator: ", ")) WHERE id = \(id)",
                             binds: binds)
    }

    private static let columnNames = [
        "id", "state", "room", "signaling_url", "recipe", "start_at", "stop_at", "max_duration_s", "stop_when_empty_s",
        "webhook_url", "metadata", "cpu_cost", "created_at", "updated_at", "claimed_at", "recording_started_at",
        "ended_at", "attempts", "max_attempts", "error", "stop_requested", "cancel_requested", "lease_worker",
        "lease_expires_at", "output_directory", "outputs", "files_purged_at", "statistics", "webhook_deliveries",
        "idempotency_key", "storage", "keep_local", "files_finished", "manifest_location",
        "signaling_token", "ice_servers", "bot_name", "lease_generation", "render_of",
    ]

    private static func values(of job: RecordingJob) throws -> [(name: String, value: PostgresColumnValue)] {
        let values: [(name: String, value: PostgresColumnValue)] = [
            ("id", .text(job.id)),
            ("state", .text(job.state.rawValue)),
            ("room", .text(job.spec.room)),
            ("signaling_url", .text(job.spec.signalingURL)),
            ("recipe", .text(job.spec.recipe)),
            ("start_at", .time(job.spec.startAt)),
            ("stop_at", .time(job.spec.stopAt)),
            ("max_duration_s", .integer(job.spec.maxDurationSeconds)),
            ("stop_when_empty_s", .integer(job.spec.stopWhenEmptySeconds)),
            ("webhook_url", .text(job.spec.webhookURL)),
            ("metadata", .json(try JobColumnJSON.encode(job.spec.metadata))),
            ("cpu_cost", .real(job.cpuCost)),
            ("created_at", .time(job.createdAt)),
            ("updated_at", .time(job.updatedAt)),
            ("claimed_at", .time(job.claimedAt)),
            ("recording_started_at", .time(job.recordingStartedAt)),
            ("ended_at", .time(job.endedAt)),
            ("attempts", .integer(job.attempts)),
            ("max_attempts", .integer(job.maxAttempts)),
            ("error", .text(job.error)),
            ("stop_requested", .boolean(job.stopRequested)),
            ("cancel_requested", .boolean(job.cancelRequested)),
            ("lease_worker", .text(job.lease?.worker)),
            ("lease_expires_at", .time(job.lease?.expiresAt)),
            ("output_directory", .text(job.outputDirectory)),
            ("outputs", .json(try JobColumnJSON.encode(job.outputs))),
            ("files_purged_at", .time(job.filesPurgedAt)),
            ("statistics", .json(try job.statistics.map { statistics throws(JobStoreError) in try JobColumnJSON.encode(statistics) })),
            ("webhook_deliveries", .json(try JobColumnJSON.encode(job.webhookDeliveries))),
            ("idempotency_key", .text(job.idempotencyKey)),
            ("storage", .text(job.spec.storage)),
            ("keep_local", .optionalBoolean(job.spec.keepLocal)),
            ("files_finished", .boolean(job.filesFinished)),
            ("manifest_location", .text(job.manifestLocation)),
            ("signaling_token", .text(job.spec.signalingToken?.revealed)),
            ("ice_servers", .json(try job.spec.iceServers.storedJSON())),
            ("bot_name", .text(job.spec.botName)),
            ("lease_generation", .integer(job.leaseGeneration)),
            ("render_of", .text(job.spec.renderOf)),
        ]
        assert(values.map(\.name) == columnNames, "the columns written are the columns read")
        return values
    }

    static func job(from row: PostgresRow) throws -> RecordingJob {
        let row = row.makeRandomAccess()
        func value<Value: PostgresDecodable>(_ type: Value.Type, _ column: String) throws -> Value {
            try row[column].decode(type)
        }
        let id = try value(String.self, "id")
        func time(_ column: String) throws -> Date? { try value(PostgresTimestamp?.self, column)?.date }
        func json<Value: Decodable>(_ type: Value.Type, _ column: String) throws -> Value? {
            guard let text = try value(String?.self, column) else { return nil }
            return try JobColumnJSON.decode(type, from: text, column: column)
        }
        func required<Value>(_ value: Value?, _ column: String) throws -> Value {
            guard let value else { throw JobStoreError.database("column \(column) of job \(id) is NULL") }
            return value
        }
        let stateName = try value(String.self, "state")
        guard let state = JobState(rawValue: stateName) else {
            throw JobStoreError.database("job \(id) has an unknown state \"\(stateName)\"")
        }
        let spec = RecordingJobSpec(
            room: try value(String.self, "room"),
            signalingURL: try value(String.self, "signaling_url"),
            recipe: try value(String.self, "recipe"),
            startAt: try time("start_at"),
            stopAt: try time("stop_at"),
            maxDurationSeconds: try value(Int?.self, "max_duration_s"),
            stopWhenEmptySeconds: try value(Int?.self, "stop_when_empty_s"),
            webhookURL: try value(String?.self, "webhook_url"),
            metadata: try required(json([String: String].self, "metadata"), "metadata"),
            storage: try value(String?.self, "storage"),
            keepLocal: try value(Bool?.self, "keep_local"),
            signalingToken: try value(String?.self, "signaling_token").map(SecretText.init),
            iceServers: try .fromStoredJSON(value(String?.self, "ice_servers")),
            botName: try value(String?.self, "bot_name"),
            renderOf: try value(String?.self, "render_of"))
        var job = RecordingJob(
            id: id, state: state, spec: spec, cpuCost: try value(Double.self, "cpu_cost"),
            createdAt: try required(time("created_at"), "created_at"),
            maxAttempts: try value(Int.self, "max_attempts"),
            idempotencyKey: try value(String?.self, "idempotency_key"))
        job.updatedAt = try required(time("updated_at"), "updated_at")
        job.claimedAt = try time("claimed_at")
        job.recordingStartedAt = try time("recording_started_at")
        job.endedAt = try time("ended_at")
        job.attempts = try value(Int.self, "attempts")
        job.error = try value(String?.self, "error")
        job.stopRequested = try value(Bool.self, "stop_requested")
        job.cancelRequested = try value(Bool.self, "cancel_requested")
        if let worker = try value(String?.self, "lease_worker") {
            job.lease = JobLease(worker: worker, expiresAt: try required(time("lease_expires_at"), "lease_expires_at"))
        }
        job.leaseGeneration = try value(Int.self, "lease_generation")
        job.outputDirectory = try value(String?.self, "output_directory")
        job.outputs = try required(json([JobOutput].self, "outputs"), "outputs")
        job.filesPurgedAt = try time("files_purged_at")
        job.statistics = try json(JobStatistics.self, "statistics")
        job.webhookDeliveries = try required(json([WebhookDelivery].self, "webhook_deliveries"), "webhook_deliveries")
        job.filesFinished = try value(Bool.self, "files_finished")
        job.manifestLocation = try value(String?.self, "manifest_location")
        return job
    }
}

/// One column's value in a query's parameters, typed as its column is.
enum PostgresColumnValue {
    case text(String?)
    case integer(Int?)
    case real(Double)
    case boolean(Bool)
    case optionalBoolean(Bool?)
    case time(Date?)
    /// JSON text, bound as text and cast to jsonb.
    case json(String?)

    /// Appends the value to `binds`; returns its placeholder (`$3`, `$4::jsonb`).
    func bind(into binds: inout PostgresBindings) -> String {
        switch self {
        case .text(let text): binds.append(text)
        case .integer(let integer): binds.append(integer)
        case .real(let real): binds.append(real)
        case .boolean(let boolean): binds.append(boolean)
        case .optionalBoolean(let boolean): binds.append(boolean)
        case .time(let date): binds.append(date.map(PostgresTimestamp.init))
        case .json(let text): binds.append(text)
        }
        let placeholder = "$\(binds.count)"
        if case .json = self { return placeholder + "::jsonb" }
        return placeholder
    }
}
