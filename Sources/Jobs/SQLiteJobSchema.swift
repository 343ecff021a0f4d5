import GRDB

/// The SQLite store's tables, as GRDB migrations: each runs once per database file, in order, in
/// its own transaction (GRDB records the applied ones in `grdb_migrations`). Never edit a migration
/// that has shipped; add the next one.
enum SQLiteJobSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-jobs") { db in
            // Times are INTEGER milliseconds since 1970 (see MillisecondTime.swift); JSON columns
            // are TEXT written by JobColumnJSON.
            try db.execute(sql: """
                CREATE TABLE jobs (
                    id TEXT PRIMARY KEY NOT NULL,
                    state TEXT NOT NULL CHECK (state IN (\(JobState.sqlList))),
                    room TEXT NOT NULL,
                    signaling_url TEXT NOT NULL,
                    recipe TEXT NOT NULL,
                    start_at INTEGER,
                    stop_at INTEGER,
                    max_duration_s INTEGER,
                    stop_when_empty_s INTEGER,
                    webhook_url TEXT,
                    metadata TEXT NOT NULL,
                    cpu_cost REAL NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    claimed_at INTEGER,
                    recording_started_at INTEGER,
                    ended_at INTEGER,
                    attempts INTEGER NOT NULL,
                    max_attempts INTEGER NOT NULL,
                    error TEXT,
                    stop_requested INTEGER NOT NULL,
                    cancel_requested INTEGER NOT NULL,
                    lease_worker TEXT,
                    lease_expires_at INTEGER,
                    output_directory TEXT,
                    outputs TEXT NOT NULL,
                    statistics TEXT,
                    webhook_deliveries TEXT NOT NULL,
                    idempotency_key TEXT UNIQUE,
                    CHECK ((lease_worker IS NULL) = (lease_expires_at IS NULL))
                ) STRICT;
                -- list: all jobs, or one state's, or one room's, in (created_at, id) order.
                CREATE INDEX jobs_by_creation ON jobs (created_at, id);
                CREATE INDEX jobs_by_state ON jobs (state, created_at, id);
                CREATE INDEX jobs_by_room ON jobs (room, created_at, id);
                -- promoteDueJobs.
                CREATE INDEX jobs_scheduled_by_start ON jobs (start_at) WHERE state = 'scheduled';
                -- reclaimExpiredLeases.
                CREATE INDEX jobs_leased_by_expiry ON jobs (lease_expires_at) WHERE lease_expires_at IS NOT NULL;
                """)
        }
        migrator.registerMigration("2-webhook-outbox") { db in
            // The webhook outbox (see WebhookOutboxEvent): one row per event, written with the
            // job's state change. `sequence` orders a job's events; a job's oldest pending one is
            // the only one due.
            try db.execute(sql: """
                CREATE TABLE webhook_events (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    type TEXT NOT NULL CHECK (type IN (\(WebhookOutboxSQL.typeList))),
                    body TEXT NOT NULL,
                    webhook_url TEXT,
                    created_at INTEGER NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL,
                    delivered_at INTEGER,
                    given_up_at INTEGER,
                    last_error TEXT,
                    claimed_by TEXT,
                    claim_expires_at INTEGER,
                    CHECK ((claimed_by IS NULL) = (claim_expires_at IS NULL))
                ) STRICT;
                -- A job's oldest pending event, and pendingWebhookEventCount.
                CREATE INDEX webhook_events_pending_by_job ON webhook_events (job_id, sequence)
                    WHERE delivered_at IS NULL AND given_up_at IS NULL;
                -- claimDueWebhookEvents.
                CREATE INDEX webhook_events_pending_by_due ON webhook_events (next_attempt_at)
                    WHERE delivered_at IS NULL AND given_up_at IS NULL;
                -- webhookEvents(jobID:), and the cascade when a job is deleted.
                CREATE INDEX webhook_events_by_job ON webhook_events (job_id, sequence);
                """)
        }
        migrator.registerMigration("3-uploads") { db in
            // Delivery to object storage: where a job's files go, whether its recording is over
            // (then a job given back is delivered, not recorded again), and each multipart upload
            // under way, so that the next worker completes it instead of starting over.
            try db.execute(sql: """
                ALTER TABLE jobs ADD COLUMN storage TEXT;
                ALTER TABLE jobs ADD COLUMN keep_local INTEGER;
                ALTER TABLE jobs ADD COLUMN files_finished INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE jobs ADD COLUMN manifest_location TEXT;
                CREATE TABLE uploads (
                    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    state TEXT NOT NULL,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (job_id, name)
                ) STRICT;
                """)
        }
        // Files deleted by a purge or the retention sweep.
        migrator.registerMigration("4-files") { db in
            try db.execute(sql: """
                ALTER TABLE jobs ADD COLUMN files_purged_at INTEGER;
                -- jobsWithFilesToPurge: ended jobs whose files are still kept, by end time.
                CREATE INDEX jobs_ended_with_files ON jobs (ended_at) WHERE ended_at IS NOT NULL AND files_purged_at IS NULL;
                """)
        }
        // Room credentials: the signaling token and the ICE servers (JSON, credentials included)
        // are secrets the worker needs; only the store holds them, never the job's JSON.
        migrator.registerMigration("5-credentials") { db in
            try db.execute(sql: """
                ALTER TABLE jobs ADD COLUMN signaling_token TEXT;
                ALTER TABLE jobs ADD COLUMN ice_servers TEXT;
                ALTER TABLE jobs ADD COLUMN bot_name TEXT;
                """)
        }
        // The lease generation (fencing token): each claim counts one. A job claimed before
        // this migration starts from its attempts, the claims that counted.
        migrator.registerMigration("6-lease-generation") { db in
            try db.execute(sql: """
                ALTER TABLE jobs ADD COLUMN lease_generation INTEGER NOT NULL DEFAULT 0;
                UPDATE jobs SET lease_generation = attempts;
                """)
        }
        // Render jobs: the recording whose raw captures they make again.
        migrator.registerMigration("7-render-of") { db in
            try db.execute(sql: "ALTER TABLE jobs ADD COLUMN render_of TEXT;")
        }
        return migrator
    }
}
