import Foundation
import Jobs

/// The events a job's `webhook_url` receives.
public enum WebhookEventType: String, Sendable, CaseIterable {
    /// The worker is in the room and recording.
    case started = "recording.started"
    /// The files are closed; `data` lists them.
    case completed = "recording.completed"
    /// The job failed for good (or was cancelled); `data.error` says why.
    case failed = "recording.failed"
}

/// The JSON body of a webhook POST: `{id, type, created_at, data: <the job>}`. The `id` is the
/// same on every retry of one event, so a receiver can drop duplicates.
struct WebhookEvent: Encodable {
    var id: String
    var type: String
    var createdAt: Date
    var data: RecordingJob

    enum CodingKeys: String, CodingKey { case id, type, createdAt = "created_at", data }

    init(type: WebhookEventType, job: RecordingJob, at: Date) {
        id = UUID().uuidString.lowercased()
        self.type = type.rawValue
        createdAt = at
        data = job
    }

    func body() throws -> Data {
        try RecordingJobJSON.encoder().encode(self)
    }
}
