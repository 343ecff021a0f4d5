import Foundation

/// Where jobs live. Two implementations share one contract (`JobStoreContract` in the tests):
/// `SQLiteJobStore`, the single-box default, and `PostgresJobStore`, for a fleet of workers.
///
/// Every method is one transaction. Methods a worker calls take its name and fail with
/// `JobStoreError.leaseLost` when another worker holds the job now, so a worker that was presumed
/// dead can never overwrite the one that took over; given a job that does not exist, they throw
/// `.notFound`. Times are kept to the millisecond: a job comes back with its times (and its
/// spec's) rounded to the nearest one, the same way each time, so a job read back equals the job
/// the call that wrote it returned. Database failures are `.database` with the database's words.
public protocol JobStore: Sendable {
    /// Stores a new job (`scheduled` when `spec.startAt` is in the future, else `queued`). With an
    /// idempotency key already used for the same spec, returns that job instead
    /// (`JobCreation.existing`); for another spec, throws `.idempotencyConflict`.
    func create(_ spec: RecordingJobSpec, cpuCost: Double, maxAttempts: Int, idempotencyKey: String?, now: Date) async throws -> JobCreation

    func job(id: String) async throws -> RecordingJob?

    /// Jobs in `query.order`, filtered; `query.cursor` is a previous page's `nextCursor` for the
    /// same order (another order's cursor is `.cursorForAnotherOrder`).
    func list(_ query: JobQuery) async throws -> JobPage

    /// Asks a job to stop: a job not yet running ends `cancelled` at once (nothing was recorded);
    /// a running one gets `stopRequested` and its worker finishes the files. Returns the job as it
    /// is now; nil if there is no such job. Throws `.terminal` for a job that already ended.
    func requestStop(id: String, now: Date) async throws -> RecordingJob?

    /// Cancels a job: at once when not running, else `cancelRequested` for its worker (files
    /// written so far are kept). Returns the job as it is now; nil if there is no such job.
    /// Throws `.terminal` for a job that already ended.
    func cancel(id: String, now: Date) async throws -> RecordingJob?

    /// Moves `scheduled` jobs whose `startAt` has come to `queued`; returns how many.
    func promoteDueJobs(now: Date) async throws -> Int

    /// Gives `worker` the oldest queued job that fits in `capacity` cores (by `cpuCost`) and has
    /// attempts left: `joining`, `attempts + 1`, leased until `now + leaseDuration`, and
    /// `outputDirectory` set to `recordings/<id>` on first claim. Two workers never get the same job.
    func claim(worker: String, capacity: Double, leaseDuration: Duration, now: Date) async throws -> RecordingJob?

    /// Extends the lease of a job `worker` holds to `now + leaseDuration`; returns the job (whose
    /// `stopRequested` and `cancelRequested` the worker acts on).
    func renewLease(id: String, worker: String, leaseDuration: Duration, now: Date) async throws -> RecordingJob

    /// `renewLease` for the claim whose `RecordingJob.leaseGeneration` was `generation`: fails
    /// with `.leaseLost` when the job was claimed again since, even by the same worker. A worker
    /// calls it before it renames files, writes a manifest, or ends or gives back its job, and
    /// writes only while the lease it extends lasts: the fence that keeps two workers out of one folder.
    func confirmLease(id: String, worker: String, generation: Int, leaseDuration: Duration, now: Date) async throws -> RecordingJob

    /// Records a running job's progress: its state (`recording`, `finalizing`, or a terminal
    /// state, which also clears the lease and sets `endedAt`), outputs, statistics and error.
    /// `recordingStartedAt` is set the first time the state is `recording`. Reporting the state the
    /// job is in changes nothing; any other state, or a move `JobState.canMove(to:)` forbids, is
    /// `.invalidTransition`.
    func update(id: String, worker: String, _ progress: JobProgress, now: Date) async throws -> RecordingJob

    /// Gives a running job `worker` holds back to the queue (lease cleared), for another worker
    /// to resume in the same folder. With an `error` the attempt failed and counts against
    /// `maxAttempts` (the error is kept on the job); without one the worker is shutting down and
    /// the attempt does not count.
    /// Like a reclaimed job, one with no attempts left ends `failed`, and one whose stop or
    /// cancellation was asked ends `failed` or `cancelled` instead of running again.
    func release(id: String, worker: String, error: String?, now: Date) async throws -> RecordingJob

    /// Running jobs whose lease expired before `now` go back to `queued` (lease cleared), or
    /// `failed` when they have no attempts left, with an error naming the worker. A job whose stop
    /// or cancellation was asked is not run again: it ends `failed` (its files were never
    /// finished) or `cancelled`. Returns the jobs changed, as they are now.
    func reclaimExpiredLeases(now: Date) async throws -> [RecordingJob]

    /// Appends a webhook delivery attempt to the job's record (not a change of the job: `updatedAt` stays).
    func recordWebhookDelivery(id: String, _ delivery: WebhookDelivery) async throws

    /// How many jobs are in each state (for `/metrics`); states with none are absent.
    func countByState() async throws -> [JobState: Int]

    // Uploads under way. The state is the uploader's own (JSON it can read back); the store keeps
    // it so that a worker taking over a job completes the same multipart upload.

    /// Keeps the state of the upload of the job's file `name`, replacing the one kept before.
    /// Like `update`, only the worker holding the job may.
    func saveUploadState(id: String, worker: String, name: String, state: Data, now: Date) async throws

    /// The job's uploads under way, by file name.
    func uploadStates(id: String) async throws -> [String: Data]

    /// Forgets the upload of `name` (completed or aborted). Like `update`, only the worker holding the job may.
    func removeUploadState(id: String, worker: String, name: String) async throws

    /// Records that the job's local files were deleted (`filesPurgedAt`, kept from the first
    /// time). Returns the job as it is now; nil if there is no such job. Throws `.notEnded` for a
    /// job that has not ended: its worker may still be writing them.
    func markFilesPurged(id: String, now: Date) async throws -> RecordingJob?

    /// Ended jobs whose files have not been purged, that ended before `endedBefore`, the longest
    /// ended first, at most `limit` (for the retention sweep).
    func jobsWithFilesToPurge(endedBefore: Date, limit: Int) async throws -> [RecordingJob]

    // MARK: The webhook outbox
    //
    // The methods that change a job's state write its webhook event (`WebhookOutboxEvent`) in the
    // same transaction: `update` to `recording` (`recording.started`), `completed`, `failed` or
    // `cancelled`; `cancel` and `requestStop` of a job not yet running (`recording.cancelled`);
    // `release` and `reclaimExpiredLeases` ending a job `failed` or `cancelled`. Every job's
    // events are written, with or without a `webhook_url` (a server-wide default may apply).

    /// Gives `deliverer` up to `limit` events due now, oldest due first, claimed until
    /// `now + claimDuration`. Due: pending (neither delivered nor given up), its next attempt's time
    /// come, not claimed by a deliverer (or the claim expired), and the oldest pending event of its
    /// job, so that a job's events are delivered in order. Two deliverers never hold the same event.
    func claimDueWebhookEvents(deliverer: String, limit: Int, claimDuration: Duration, now: Date) async throws -> [WebhookOutboxEvent]

    /// Records what became of an attempt on event `eventID` (see `WebhookAttemptOutcome`),
    /// releasing its claim, and appends the attempt to its job's `webhook_deliveries` (as
    /// `recordWebhookDelivery`). An event already delivered or given up stays as it is (the
    /// attempt is still appended to the job). Returns the event as it is now; throws
    /// `.webhookEventNotFound` when there is no such event.
    @discardableResult
    func recordWebhookAttempt(eventID: String, _ outcome: WebhookAttemptOutcome, now: Date) async throws -> WebhookOutboxEvent

    /// A job's events, in the order they were written (empty for a job with none, or no such job).
    func webhookEvents(jobID: String) async throws -> [WebhookOutboxEvent]

    /// How many events are neither delivered nor given up (for `/metrics`).
    func pendingWebhookEventCount() async throws -> Int
}

public enum JobCreation: Sendable, Equatable {
    case created(RecordingJob)
    /// The idempotency key was used before, for the same spec.
    case existing(RecordingJob)

    public var job: RecordingJob {
        switch self {
        case .created(let job), .existing(let job): job
        }
    }
}

public struct JobQuery: Sendable, Equatable {
    public var state: JobState?
    public var room: String?
    /// Jobs created at or after this time.
    public var createdAfter: Date?
    /// Jobs created before this time (so that `createdAfter` and `createdBefore` windows tile).
    public var createdBefore: Date?
    public var order: JobListOrder
    /// 1...100.
    public var limit: Int
    public var cursor: String?

    public init(state: JobState? = nil, room: String? = nil, createdAfter: Date? = nil, createdBefore: Date? = nil,
                order: JobListOrder = .newestFirst, limit: Int = 50, cursor: String? = nil) {
        self.state = state
        self.room = room
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.order = order
        self.limit = limit
        self.cursor = cursor
    }
}

public struct JobPage: Sendable, Equatable {
    public var jobs: [RecordingJob]
    /// Pass back as `JobQuery.cursor` for the next page; nil on the last page.
    public var nextCursor: String?

    public init(jobs: [RecordingJob], nextCursor: String?) {
        self.jobs = jobs
        self.nextCursor = nextCursor
    }
}

/// What a worker reports about the job it runs; nil fields are left as they were.
public struct JobProgress: Sendable, Equatable {
    public var state: JobState?
    public var outputs: [JobOutput]?
    public var statistics: JobStatistics?
    public var error: String?
    /// `RecordingJob.filesFinished`: set once, never cleared.
    public var filesFinished: Bool?
    public var manifestLocation: String?

    public init(state: JobState? = nil, outputs: [JobOutput]? = nil, statistics: JobStatistics? = nil, error: String? = nil,
                filesFinished: Bool? = nil, manifestLocation: String? = nil) {
        self.state = state
        self.outputs = outputs
        self.statistics = statistics
        self.error = error
        self.filesFinished = filesFinished
        self.manifestLocation = manifestLocation
    }
}

public enum JobStoreError: Error, Equatable, CustomStringConvertible {
    /// The idempotency key was used before for a different request.
    case idempotencyConflict(key: String, jobID: String)
    /// The job already ended; it cannot be stopped or cancelled.
    case terminal(id: String, state: JobState)
    /// Another worker holds the job now, or it is no longer running.
    case leaseLost(id: String, worker: String)
    /// The state change is not allowed (see `JobState.canMove(to:)`).
    case invalidTransition(id: String, from: JobState, to: JobState)
    case notFound(id: String)
    /// There is no webhook event with this id (`recordWebhookAttempt`).
    case webhookEventNotFound(id: String)
    /// The cursor was not made by `list`.
    case invalidCursor(String)
    /// The cursor was made by `list` in the other order.
    case cursorForAnotherOrder(String, cursorOrder: JobListOrder)
    /// The job has not ended, so its files may still be written.
    case notEnded(id: String, state: JobState)
    /// The database refused or could not be reached.
    case database(String)

    public var description: String {
        switch self {
        case .idempotencyConflict(let key, let jobID):
            "Idempotency-Key \"\(key)\" was already used by job \(jobID) for a different request"
        case .terminal(let id, let state): "job \(id) already ended (\(state.rawValue))"
        case .leaseLost(let id, let worker): "worker \(worker) no longer holds job \(id)"
        case .invalidTransition(let id, let from, let to): "job \(id) cannot go from \(from.rawValue) to \(to.rawValue)"
        case .notFound(let id): "there is no job \(id)"
        case .webhookEventNotFound(let id): "there is no webhook event \(id)"
        case .invalidCursor(let cursor): "the cursor \"\(cursor)\" is not one this server gave"
        case .cursorForAnotherOrder(let cursor, let order):
            "the cursor \"\(cursor)\" continues a listing in order \(order.rawValue); ask for that order"
        case .notEnded(let id, let state): "job \(id) has not ended (\(state.rawValue))"
        case .database(let reason): "database: \(reason)"
        }
    }
}
