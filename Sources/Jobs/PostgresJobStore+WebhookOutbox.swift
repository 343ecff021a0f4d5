import Foundation
import PostgresNIO

extension PostgresJobStore {
    public func claimDueWebhookEvents(deliverer: String, limit: Int, claimDuration: Duration,
                                      now: Date) async throws -> [WebhookOutboxEvent] {
        let now = now.roundedToMilliseconds
        let expiresAt = now.adding(claimDuration)
        return try await transaction { connection, logger in
            // SKIP LOCKED: an event another deliverer is claiming or settling right now is passed
            // over, not waited for. Its job's later events are not due while it is pending.
            let due = try await PostgresWebhookOutbox.events("""
                SELECT \(unescaped: PostgresWebhookOutbox.columns) FROM tapedeck_webhook_events AS e
                WHERE delivered_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= \(PostgresTimestamp(now))
                  AND (claim_expires_at IS NULL OR claim_expires_at <= \(PostgresTimestamp(now)))
                  AND sequence = (SELECT min(p.sequence) FROM tapedeck_webhook_events AS p
                                  WHERE p.job_id = e.job_id AND p.delivered_at IS NULL AND p.given_up_at IS NULL)
                ORDER BY next_attempt_at, sequence LIMIT \(max(limit, 0))
                FOR UPDATE SKIP LOCKED
                """, connection, logger: logger)
            var claimed: [WebhookOutboxEvent] = []
            for var event in due {
                event.claim = WebhookEventClaim(deliverer: deliverer, expiresAt: expiresAt)
                try await PostgresWebhookOutbox.saveAttempt(event, connection, logger: logger)
                claimed.append(event)
            }
            return claimed
        }
    }

    public func recordWebhookAttempt(eventID: String, _ outcome: WebhookAttemptOutcome,
                                     now: Date) async throws -> WebhookOutboxEvent {
        try await transaction { connection, logger in
            guard var event = try await PostgresWebhookOutbox.events("""
                SELECT \(unescaped: PostgresWebhookOutbox.columns) FROM tapedeck_webhook_events WHERE id = \(eventID) FOR UPDATE
                """, connection, logger: logger).first
            else { throw JobStoreError.webhookEventNotFound(id: eventID) }
            if event.isPending {
                event.record(outcome, now: now)
                try await PostgresWebhookOutbox.saveAttempt(event, connection, logger: logger)
            }
            if let delivery = outcome.delivery,
               var job = try await connection.jobs("""
                SELECT \(unescaped: PostgresJobRow.columns) FROM tapedeck_jobs WHERE id = \(event.jobID) FOR UPDATE
                """, logger: logger).first {
                job.appendWebhookDelivery(delivery)
                try await connection.execute(try PostgresJobRow.save(job), logger: logger)
            }
            return event
        }
    }

    public func webhookEvents(jobID: String) async throws -> [WebhookOutboxEvent] {
        try await statement { connection, logger in
            try await PostgresWebhookOutbox.events("""
                SELECT \(unescaped: PostgresWebhookOutbox.columns) FROM tapedeck_webhook_events
                WHERE job_id = \(jobID) ORDER BY sequence
                """, connection, logger: logger)
        }
    }

    public func pendingWebhookEventCount() async throws -> Int {
        try await statement { connection, logger in
            var count = 0
            for try await pending in try await connection.query(
                "SELECT count(*) FROM tapedeck_webhook_events WHERE delivered_at IS NULL AND given_up_at IS NULL",
                logger: logger
            ).decode(Int.self) {
                count = pending
            }
            return count
        }
    }
}
