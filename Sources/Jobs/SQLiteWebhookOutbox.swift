import Foundation
import GRDB

/// The SQLite `webhook_events` table: events as rows, and back.
enum SQLiteWebhookOutbox {
    /// Writes the event a state change of `job` (from `previous`) makes, if any, in the caller's transaction.
    static func insertEvent(forStateChangeOf job: RecordingJob, from previous: JobState, _ db: Database) throws {
        guard let event = try WebhookOutboxEvent(stateChangeOf: job, from: previous) else { return }
        try db.execute(sql: """
            INSERT INTO webhook_events (id, job_id, type, body, webhook_url, created_at, attempts, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?, 0, ?)
            """, arguments: [event.id, event.jobID, event.type.rawValue, event.body, event.webhookURL,
                             event.createdAt.millisecondsSince1970, event.nextAttemptAt.millisecondsSince1970])
    }

    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [WebhookOutboxEvent] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map(event(from:))
    }

    /// Writes back what an attempt changes.
    static func saveAttempt(_ event: WebhookOutboxEvent, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE webhook_events SET attempts = ?, next_attempt_at = ?, delivered_at = ?, given_up_at = ?,
                last_error = ?, claimed_by = ?, claim_expires_at = ?
            WHERE id = ?
            """, arguments: [event.attempts, event.nextAttemptAt.millisecondsSince1970,
                             event.deliveredAt?.millisecondsSince1970, event.givenUpAt?.millisecondsSince1970,
                             event.lastError, event.claim?.deliverer, event.claim?.expiresAt.millisecondsSince1970,
                             event.id])
    }

    private static func event(from row: Row) throws -> WebhookOutboxEvent {
        let id = try row.decode(String.self, forColumn: "id")
        func time(_ column: String) throws -> Date? {
            try row.decode(Int64?.self, forColumn: column).map(Date.init(millisecondsSince1970:))
        }
        func required(_ column: String) throws -> Date {
            guard let date = try time(column) else { throw JobStoreError.database("column \(column) of webhook event \(id) is NULL") }
            return date
        }
        let typeName = try row.decode(String.self, forColumn: "type")
        guard let type = WebhookEventType(rawValue: typeName) else {
            throw JobStoreError.database("webhook event \(id) has an unknown type \"\(typeName)\"")
        }
        var claim: WebhookEventClaim?
        if let deliverer = try row.decode(String?.self, forColumn: "claimed_by") {
            claim = WebhookEventClaim(deliverer: deliverer, expiresAt: try required("claim_expires_at"))
        }
        return WebhookOutboxEvent(
            id: id, jobID: try row.decode(String.self, forColumn: "job_id"),
            sequence: try row.decode(Int64.self, forColumn: "sequence"), type: type,
            body: try row.decode(String.self, forColumn: "body"),
            webhookURL: try row.decode(String?.self, forColumn: "webhook_url"),
            createdAt: try required("created_at"), attempts: try row.decode(Int.self, forColumn: "attempts"),
            nextAttemptAt: try required("next_attempt_at"), deliveredAt: try time("delivered_at"),
            givenUpAt: try time("given_up_at"), lastError: try row.decode(String?.self, forColumn: "last_error"),
            claim: claim)
    }
}
