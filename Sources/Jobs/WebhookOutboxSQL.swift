/// SQL both stores' outbox code shares.
enum WebhookOutboxSQL {
    /// The event types the outbox tables accept, as SQL string literals. Spelled out rather than
    /// read from `WebhookEventType`, so that a migration that has shipped never changes: a new
    /// type needs a new migration.
    static let typeList = "'recording.started', 'recording.completed', 'recording.failed', 'recording.cancelled'"

    /// A pending event is neither delivered nor given up.
    static let isPending = "delivered_at IS NULL AND given_up_at IS NULL"
}
