import Foundation

/// The JSON body of a webhook POST: `{id, type, created_at, data: <the job>}`, the job as it was
/// when the event happened. The `id` is the same on every retry of one event, so a receiver can
/// drop duplicates.
struct WebhookEvent: Encodable {
    var id: String
    var type: WebhookEventType
    var createdAt: Date
    var data: RecordingJob

    enum CodingKeys: String, CodingKey { case id, type, createdAt = "created_at", data }

    /// The body as the outbox keeps it and the deliverer POSTs it.
    func body() throws(JobStoreError) -> String {
        do {
            return String(decoding: try RecordingJobJSON.encoder().encode(self), as: UTF8.self)
        } catch {
            throw .database("cannot encode the \(type.rawValue) event of job \(data.id) as JSON: \(error)")
        }
    }
}
