import Logging
import PostgresNIO

/// The PostgreSQL store's tables, as numbered migrations recorded in `tapedeck_schema_migrations`.
/// Never edit a migration that has shipped; add the next one.
enum PostgresJobSchema {
    struct Migration {
        var version: Int
        var description: String
        /// One statement each: the extended query protocol runs one at a time.
        var statements: [String]
    }

    static let migrations = [
        Migration(version: 1, description: "recording jobs", statements: [
            """
            CREATE TABLE tapedeck_jobs (
                id text COLLATE "C" PRIMARY KEY,  -- bytewise, so (created_at, id) orders as in SQLite and Swift
                state text NOT NULL CHECK (state IN (\(JobState.sqlList))),
                room text NOT NULL,
                signaling_url text NOT NULL,
                recipe text NOT NULL,
                start_at timestamptz,
                stop_at timestamptz,
                max_duration_s integer,
                stop_when_empty_s integer,
                webhook_url text,
                metadata jsonb NOT NULL,
                cpu_cost double precision NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                claimed_at timestamptz,
                recording_started_at timestamptz,
                ended_at timestamptz,
                attempts integer NOT NULL,
                max_attempts integer NOT NULL,
                error text,
                stop_requested boolean NOT NULL,
                cancel_requested boolean NOT NULL,
                lease_worker text,
                lease_expires_at timestamptz,
                output_directory text,
                outputs jsonb NOT NULL,
                statistics jsonb,
                webhook_deliveries jsonb NOT NULL,
                idempotency_key text UNIQUE,
                CHECK ((lease_worker IS NULL) = (lease_expires_at IS NULL))
            )
            """,
            // list: all jobs, one state's (and claim: the oldest queued), one room's, in (created_at, id) order.
            "CREATE INDEX tapedeck_jobs_by_creation ON tapedeck_jobs (created_at, id)",
            "CREATE INDEX tapedeck_jobs_by_state ON tapedeck_jobs (state, created_at, id)",
            "CREATE INDEX tapedeck_jobs_by_room ON tapedeck_jobs (room, created_at, id)",
            // promoteDueJobs.
            "CREATE INDEX tapedeck_jobs_scheduled_by_start ON tapedeck_jobs (start_at) WHERE state = 'scheduled'",
            // reclaimExpiredLeases.
            "CREATE INDEX tapedeck_jobs_leased_by_expiry ON tapedeck_jobs (lease_expires_at) WHERE lease_expires_at IS NOT NULL",
        ]),
        // The webhook outbox (see WebhookOutboxEvent): one row per event, written with the job's
        // state change. `sequence` orders a job's events; a job's oldest pending one is the only one due.
        Migration(version: 2, description: "webhook outbox", statements: [
            """
            CREATE TABLE tapedeck_webhook_events (
                sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id text COLLATE "C" NOT NULL UNIQUE,
                job_id text COLLATE "C" NOT NULL REFERENCES tapedeck_jobs (id) ON DELETE CASCADE,
                type text NOT NULL CHECK (type IN (\(WebhookOutboxSQL.typeList))),
                body text NOT NULL,  -- text, not jsonb: the bytes POSTed (and signed) are the bytes written
                webhook_url text,
                created_at timestamptz NOT NULL,
                attempts integer NOT NULL,
                next_attempt_at timestamptz NOT NULL,
                delivered_at timestamptz,
                given_up_at timestamptz,
                last_error text,
                claimed_by text,
                claim_expires_at timestamptz,
                CHECK ((claimed_by IS NULL) = (claim_expires_at IS NULL))
            )
            """,
            // A job's oldest pending event, and pendingWebhookEventCount.
            """
            CREATE INDEX tapedeck_webhook_events_pending_by_job ON tapedeck_webhook_events (job_id, sequence)
            WHERE delivered_at IS NULL AND given_up_at IS NULL
            """,
            // claimDueWebhookEvents.
            """
            CREATE INDEX tapedeck_webhook_events_pending_by_due ON tapedeck_webhook_events (next_attempt_at)
            WHERE delivered_at IS NULL AND given_up_at IS NULL
            """,
            // webhookEvents(jobID:), and the cascade when a job is deleted.
            "CREATE INDEX tapedeck_webhook_events_by_job ON tapedeck_webhook_events (job_id, sequence)",
        ]),
        // Delivery to object storage: where a job's files go, whether its recording is over (then
        // a job given back is delivered, not recorded again), and each multipart upload under
        // way, so that the next worker completes it instead of starting over.
        Migration(version: 3, description: "uploads", statements: [
            "ALTER TABLE tapedeck_jobs ADD COLUMN storage text",
            "ALTER TABLE tapedeck_jobs ADD COLUMN keep_local boolean",
            "ALTER TABLE tapedeck_jobs ADD COLUMN files_finished boolean NOT NULL DEFAULT false",
            "ALTER TABLE tapedeck_jobs ADD COLUMN manifest_location text",
            """
            CREATE TABLE tapedeck_uploads (
                job_id text COLLATE "C" NOT NULL REFERENCES tapedeck_jobs (id) ON DELETE CASCADE,
                name text NOT NULL,
                state jsonb NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (job_id, name)
            )
            """,
        ]),
        // Files deleted by a purge or the retention sweep.
        Migration(version: 4, description: "files purged", statements: [
            "ALTER TABLE tapedeck_jobs ADD COLUMN files_purged_at timestamptz",
            // jobsWithFilesToPurge: ended jobs whose files are still kept, by end time.
            """
            CREATE INDEX tapedeck_jobs_ended_with_files ON tapedeck_jobs (ended_at)
            WHERE ended_at IS NOT NULL AND files_purged_at IS NULL
            """,
        ]),
        // Room credentials: secrets the worker needs; only the store holds them, never the job's JSON.
        Migration(version: 5, description: "room credentials", statements: [
            "ALTER TABLE tapedeck_jobs ADD COLUMN signaling_token text",
            "ALTER TABLE tapedeck_jobs ADD COLUMN ice_servers jsonb",
            "ALTER TABLE tapedeck_jobs ADD COLUMN bot_name text",
        ]),
        // The lease generation (fencing token): each claim counts one. A job claimed before this
        // migration starts from its attempts, the claims that counted.
        Migration(version: 6, description: "lease generation", statements: [
            "ALTER TABLE tapedeck_jobs ADD COLUMN lease_generation integer NOT NULL DEFAULT 0",
            "UPDATE tapedeck_jobs SET lease_generation = attempts",
        ]),
        // Render jobs: the recording whose raw captures they make again.
        Migration(version: 7, description: "render jobs", statements: [
            "ALTER TABLE tapedeck_jobs ADD COLUMN render_of text",
        ]),
    ]

    /// The advisory lock migrations hold: `hashtext('tapedeck_schema_migrations')` would do as well,
    /// but a constant reads the same in `pg_locks` on every server.
    static let lockKey: Int64 = 0x7461_7065_6465_636B  // "tapedeck"

    /// Applies the migrations this database lacks, in one transaction under an advisory lock, so
    /// that processes starting together wait for the first instead of racing it. Returns the
    /// versions applied.
    @discardableResult
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.inTransaction(logger: logger) { connection in
            try await connection.execute("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.execute("""
                CREATE TABLE IF NOT EXISTS tapedeck_schema_migrations (
                    version integer PRIMARY KEY,
                    description text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query(
                "SELECT version FROM tapedeck_schema_migrations", logger: logger
            ).decode(Int.self) {
                applied.insert(version)
            }
            var newlyApplied: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.execute("""
                    INSERT INTO tapedeck_schema_migrations (version, description)
                    VALUES (\(migration.version), \(migration.description))
                    """, logger: logger)
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }
}
