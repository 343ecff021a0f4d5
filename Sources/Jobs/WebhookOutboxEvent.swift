import Foundation

/// One webhook event in the store's outbox. The store writes it in the same transaction as the
/// state change it reports, so a change is never without its event (nor an event without its
/// change), whatever happens to the process afterwards; any live process's deliverer then sends
/// it, in order per job, until the receiver takes it or it is given up.
public struct WebhookOutboxEvent: Sendable, Equatable {
    /// The event's id in its body: the same on every attempt, so receivers can drop duplicates.
    public var id: String
    public var jobID: String
    /// Order of writing, across all jobs (a job's events are delivered in this order).
    public var sequence: Int64
    public var type: WebhookEventType
    /// The JSON POSTed, with the job as it was at the change (`WebhookEvent`).
    public var body: String
    /// The job's `webhook_url` (nil: the deliverer's server-wide default, if any).
    public var webhookURL: String?
    public var createdAt: Date
    /// Attempts made so far.
    public var attempts: Int
    /// Not delivered before this time (after a failed attempt: the backoff).
    public var nextAttemptAt: Date
    public var deliveredAt: Date?
    /// Set when the event will not be delivered: past its retry age, or nowhere to send it.
    public var givenUpAt: Date?
    /// Why the last attempt failed (or why the event was given up).
    public var lastError: String?
    /// The deliverer sending it now, if any.
    public var claim: WebhookEventClaim?

    /// Neither delivered nor given up.
    public var isPending: Bool { deliveredAt == nil && givenUpAt == nil }
}

/// A deliverer's hold on an event while it sends it: no other deliverer takes the event before
/// `expiresAt`, after which the deliverer is presumed dead and the event is due again.
public struct WebhookEventClaim: Sendable, Equatable {
    public var deliverer: String
    public var expiresAt: Date

    public init(deliverer: String, expiresAt: Date) {
        self.deliverer = deliverer
        self.expiresAt = expiresAt
    }
}

/// What became of an attempt to deliver an event (`JobStore.recordWebhookAttempt`).
public enum WebhookAttemptOutcome: Sendable, Equatable {
    /// The receiver took it (2xx).
    case delivered(WebhookDelivery)
    /// The attempt failed; the next is due at `retryAt`.
    case failed(WebhookDelivery, retryAt: Date)
    /// The attempt failed and the event is too old to try again.
    case givenUp(WebhookDelivery)
    /// Neither the job nor the server names a receiver: the event is done without an attempt.
    case noReceiver

    /// The attempt to append to the job's `webhook_deliveries` (none for `noReceiver`).
    var delivery: WebhookDelivery? {
        switch self {
        case .delivered(let delivery), .failed(let delivery, _), .givenUp(let delivery): delivery
        case .noReceiver: nil
        }
    }
}

extension WebhookOutboxEvent {
    /// The event a state change of `job` (from `previous`) writes to the outbox, if it is one
    /// receivers hear about; created at the change (`job.updatedAt`) and due at once.
    init?(stateChangeOf job: RecordingJob, from previous: JobState) throws(JobStoreError) {
        guard job.state != previous, let type = WebhookEventType(reaching: job.state) else { return nil }
        let id = UUID().uuidString.lowercased()
        let createdAt = job.updatedAt.roundedToMilliseconds
        self.init(id: id, jobID: job.id, sequence: 0, type: type,
                  body: try WebhookEvent(id: id, type: type, createdAt: createdAt, data: job).body(),
                  webhookURL: job.spec.webhookURL, createdAt: createdAt, attempts: 0, nextAttemptAt: createdAt,
                  deliveredAt: nil, givenUpAt: nil, lastError: nil, claim: nil)
    }

    /// The event after `outcome` at `now` (claim released): what both stores write back.
    mutating func record(_ outcome: WebhookAttemptOutcome, now: Date) {
        let now = now.roundedToMilliseconds
        claim = nil
        switch outcome {
        case .delivered:
            attempts += 1
            deliveredAt = now
            lastError = nil
        case .failed(let delivery, let retryAt):
            attempts += 1
            nextAttemptAt = retryAt.roundedToMilliseconds
            lastError = delivery.failureReason
        case .givenUp(let delivery):
            attempts += 1
            givenUpAt = now
            lastError = delivery.failureReason
        case .noReceiver:
            givenUpAt = now
            lastError = "no webhook URL: neither the job nor the server has one"
        }
    }
}

extension WebhookDelivery {
    /// Why a failed attempt failed, in a few words.
    var failureReason: String {
        error ?? status.map { "HTTP \($0)" } ?? "no answer"
    }
}
