import Foundation
import GRDB

extension SQLiteJobStore {
    public func claimDueWebhookEvents(deliverer: String, limit: Int, claimDuration: Duration,
                                      now: Date) async throws -> [WebhookOutboxEvent] {
        let now = now.roundedToMilliseconds
        let expiresAt = now.adding(claimDuration)
        return try await write { db in
            // BEGIN IMMEDIATE: no other process claims between this read and the updates.
            let due = try SQLiteWebhookOutbox.fetchAll(db, sql: """
                SELECT * FROM webhook_events AS e
                WHERE \(WebhookOutboxSQL.isPending) AND next_attempt_at <= ?1
                  AND (claim_expires_at IS NULL OR claim_expires_at <= ?1)
                  AND sequence = (SELECT min(sequence) FROM webhook_events AS p
                                  WHERE p.job_id = e.job_id AND p.delivered_at IS NULL AND p.given_up_at IS NULL)
                ORDER BY next_attempt_at, sequence LIMIT ?2
                """, arguments: [now.millisecondsSince1970, max(limit, 0)])
            return try due.map { event in
                var event = event
                event.claim = WebhookEventClaim(deliverer: deliverer, expiresAt: expiresAt)
                try SQLiteWebhookOutbox.saveAttempt(event, db)
                return event
            }
        }
    }

    public func recordWebhookAttempt(eventID: String, _ outcome: WebhookAttemptOutcome,
                                     now: Date) async throws -> WebhookOutboxEvent {
        try await write { db in
            guard var event = try SQLiteWebhookOutbox.fetchAll(
                db, sql: "SELECT * FROM webhook_events WHERE id = ?", arguments: [eventID]).first
            else { throw JobStoreError.webhookEventNotFound(id: eventID) }
            if event.isPending {
                event.record(outcome, now: now)
                try SQLiteWebhookOutbox.saveAttempt(event, db)
            }
            if let delivery = outcome.delivery,
               var job = try SQLiteJobRow.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [event.jobID]) {
                job.appendWebhookDelivery(delivery)
                try SQLiteJobRow.save(job, db)
            }
            return event
        }
    }

    public func webhookEvents(jobID: String) async throws -> [WebhookOutboxEvent] {
        try await read { db in
            try SQLiteWebhookOutbox.fetchAll(db, sql: "SELECT * FROM webhook_events WHERE job_id = ? ORDER BY sequence",
                                             arguments: [jobID])
        }
    }

    public func pendingWebhookEventCount() async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM webhook_events WHERE \(WebhookOutboxSQL.isPending)") ?? 0
        }
    }
}
