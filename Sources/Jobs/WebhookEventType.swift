/// The events webhooks receive, one per state change a receiver cares about. The store writes
/// each in the transaction that makes the change (see `WebhookOutboxEvent`).
public enum WebhookEventType: String, Sendable, CaseIterable, Codable {
    /// The worker is in the room and recording.
    case started = "recording.started"
    /// The files are closed; `data` lists them.
    case completed = "recording.completed"
    /// The job failed for good; `data.error` says why.
    case failed = "recording.failed"
    /// The job was cancelled (through the API, before or while it ran); the files written so far are kept.
    case cancelled = "recording.cancelled"

    /// The event a job reaching `state` sends: none for the states between (`joining`, `finalizing`, …).
    public init?(reaching state: JobState) {
        switch state {
        case .recording: self = .started
        case .completed: self = .completed
        case .failed: self = .failed
        case .cancelled: self = .cancelled
        default: return nil
        }
    }
}
