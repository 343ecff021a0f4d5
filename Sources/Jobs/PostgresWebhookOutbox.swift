import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL `tapedeck_webhook_events` table: events as rows, and back.
enum PostgresWebhookOutbox {
    /// The columns an event is read from, for `SELECT \(PostgresWebhookOutbox.columns) FROM tapedeck_webhook_events …`.
    static let columns = """
        sequence, id, job_id, type, body, webhook_url, created_at, attempts, next_attempt_at, delivered_at, given_up_at,
        last_error, claimed_by, claim_expires_at
        """

    /// Writes the event a state change of `job` (from `previous`) makes, if any, in the caller's transaction.
    static func insertEvent(forStateChangeOf job: RecordingJob, from previous: JobState,
                            _ connection: PostgresConnection, logger: Logger) async throws {
        guard let event = try WebhookOutboxEvent(stateChangeOf: job, from: previous) else { return }
        try await connection.execute("""
            INSERT INTO tapedeck_webhook_events (id, job_id, type, body, webhook_url, created_at, attempts, next_attempt_at)
            VALUES (\(event.id), \(event.jobID), \(event.type.rawValue), \(event.body), \(event.webhookURL),
                    \(PostgresTimestamp(event.createdAt)), 0, \(PostgresTimestamp(event.nextAttemptAt)))
            """, logger: logger)
    }

    /// Writes back what a claim or an attempt changes.
    static func saveAttempt(_ event: WebhookOutboxEvent, _ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.execute("""
            UPDATE tapedeck_webhook_events SET attempts = \(event.attempts),
                next_attempt_at = \(PostgresTimestamp(event.nextAttemptAt)),
                delivered_at = \(event.deliveredAt.map(PostgresTimestamp.init)),
                given_up_at = \(event.givenUpAt.map(PostgresTimestamp.init)), last_error = \(event.lastError),
                claimed_by = \(event.claim?.deliverer), claim_expires_at = \(event.claim.map { PostgresTimestamp($0.expiresAt) })
            WHERE id = \(event.id)
            """, logger: logger)
    }

    /// The events a `SELECT \(columns) FROM tapedeck_webhook_events …` query reads.
    static func events(_ query: PostgresQuery, _ connection: PostgresConnection, logger: Logger) async throws -> [WebhookOutboxEvent] {
        var events: [WebhookOutboxEvent] = []
        for try await row in try await connection.query(query, logger: logger) {
            events.append(try event(from: row))
        }
        return events
    }

    private static func event(from row: PostgresRow) throws -> WebhookOutboxEvent {
        let row = row.makeRandomAccess()
        func value<Value: PostgresDecodable>(_ type: Value.Type, _ column: String) throws -> Value {
            try row[column].decode(type)
        }
        let id = try value(String.self, "id")
        func time(_ column: String) throws -> Date? { try value(PostgresTimestamp?.self, column)?.date }
        func required(_ column: String) throws -> Date {
            guard let date = try time(column) else { throw JobStoreError.database("column \(column) of webhook event \(id) is NULL") }
            return date
        }
        let typeName = try value(String.self, "type")
        guard let type = WebhookEventType(rawValue: typeName) else {
            throw JobStoreError.database("webhook event \(id) has an unknown type \"\(typeName)\"")
        }
        var claim: WebhookEventClaim?
        if let deliverer = try value(String?.self, "claimed_by") {
            claim = WebhookEventClaim(deliverer: deliverer, expiresAt: try required("claim_expires_at"))
        }
        return WebhookOutboxEvent(
            id: id, jobID: try value(String.self, "job_id"), sequence: try value(Int64.self, "sequence"), type: type,
            body: try value(String.self, "body"), webhookURL: try value(String?.self, "webhook_url"),
            createdAt: try required("created_at"), attempts: try value(Int.self, "attempts"),
            nextAttemptAt: try required("next_attempt_at"), deliveredAt: try time("delivered_at"),
            givenUpAt: try time("given_up_at"), lastError: try value(String?.self, "last_error"), claim: claim)
    }
}
