import Foundation

// What each `JobStore` method does to a job, once, for both stores: a store reads the job (locked
// for its transaction), calls one of these, and writes the job back. So SQLite and PostgreSQL
// cannot disagree about the contract, only about how they find and lock rows. Every time is
// rounded to the millisecond here (see MillisecondTime.swift).
extension RecordingJob {
    /// A new job as `create` stores it: `scheduled` while `spec.startAt` is in the future, else `queued`.
    init(newJob spec: RecordingJobSpec, cpuCost: Double, maxAttempts: Int, idempotencyKey: String?, now: Date) {
        let spec = spec.roundedToMilliseconds
        let now = now.roundedToMilliseconds
        let isScheduled = spec.startAt.map { $0 > now } ?? false
        self.init(id: UUID().uuidString.lowercased(), state: isScheduled ? .scheduled : .queued, spec: spec,
                  cpuCost: cpuCost, createdAt: now, maxAttempts: maxAttempts, idempotencyKey: idempotencyKey)
    }

    /// What `create` answers when this job already has the idempotency key `key`: this job for the
    /// same spec (already rounded, as stored), a conflict for another.
    func replayed(for spec: RecordingJobSpec, key: String) throws(JobStoreError) -> JobCreation {
        guard self.spec == spec else { throw .idempotencyConflict(key: key, jobID: id) }
        return .existing(self)
    }

    /// `requestStop`: not yet running, it ends `cancelled`; running, its worker is asked to stop.
    mutating func requestStop(now: Date) throws(JobStoreError) {
        try requireNotEnded()
        if state.isRunning {
            if !stopRequested { stopRequested = true; touch(now) }
        } else {
            end(.cancelled, now: now)
        }
    }

    /// `cancel`: not yet running, it ends `cancelled`; running, its worker is asked to cancel.
    mutating func cancel(now: Date) throws(JobStoreError) {
        try requireNotEnded()
        if state.isRunning {
            if !cancelRequested { cancelRequested = true; touch(now) }
        } else {
            end(.cancelled, now: now)
        }
    }

    /// `claim`, for the job the store chose (queued, fits, attempts left).
    mutating func claim(worker: String, leaseDuration: Duration, now: Date) {
        let now = now.roundedToMilliseconds
        state = .joining
        attempts += 1
        leaseGeneration += 1
        claimedAt = now
        lease = JobLease(worker: worker, expiresAt: now.adding(leaseDuration))
        outputDirectory = outputDirectory ?? "recordings/\(id)"
        touch(now)
    }

    /// `renewLease`.
    mutating func renewLease(worker: String, leaseDuration: Duration, now: Date) throws(JobStoreError) {
        try requireLease(heldBy: worker)
        let now = now.roundedToMilliseconds
        lease = JobLease(worker: worker, expiresAt: now.adding(leaseDuration))
        touch(now)
    }

    /// `confirmLease`: `renewLease`, for the claim of generation `generation` only.
    mutating func confirmLease(worker: String, generation: Int, leaseDuration: Duration, now: Date) throws(JobStoreError) {
        // The same worker may have claimed the job again since (its lease expired while it could
        // not reach the store): the name alone does not tell that claim from this one.
        guard leaseGeneration == generation else { throw .leaseLost(id: id, worker: worker) }
        try renewLease(worker: worker, leaseDuration: leaseDuration, now: now)
    }

    /// `update`: the worker holding the job reports its progress. A worker moves a job on to
    /// `recording`, `finalizing` or a terminal state; reporting the state the job is in changes nothing.
    mutating func record(_ progress: JobProgress, worker: String, now: Date) throws(JobStoreError) {
        try requireLease(heldBy: worker)
        let now = now.roundedToMilliseconds
        if let next = progress.state, next != state {
            let reportable = next == .recording || next == .finalizing || next.isTerminal
            guard reportable, state.canMove(to: next) else {
                throw .invalidTransition(id: id, from: state, to: next)
            }
            if next == .recording, recordingStartedAt == nil { recordingStartedAt = now }
            if next.isTerminal {
                end(next, now: now)
            } else {
                state = next
            }
        }
        if let outputs = progress.outputs { self.outputs = outputs }
        if let statistics = progress.statistics { self.statistics = statistics }
        if let error = progress.error { self.error = error }
        if progress.filesFinished == true { filesFinished = true }
        if let manifestLocation = progress.manifestLocation { self.manifestLocation = manifestLocation }
        touch(now)
    }

    /// `release`: the worker holding the job gives it back. Shutting down (no `error`), the
    /// attempt does not count; after a failed attempt, it does and the error is kept. Either way
    /// it goes back to `queued` as `requeueOrEnd(now:why:)` allows.
    mutating func release(worker: String, error: String?, now: Date) throws(JobStoreError) {
        try requireLease(heldBy: worker)
        if let error {
            self.error = error
        } else {
            attempts -= 1
        }
        requeueOrEnd(now: now, why: error ?? "worker \(worker) gave the job back")
    }

    /// `reclaimExpiredLeases`, for one running job whose lease expired.
    mutating func reclaimExpiredLease(now: Date) {
        let worker = lease?.worker ?? "unknown"
        let expiry = lease.map { " at \($0.expiresAt.formatted(.iso8601))" } ?? ""
        requeueOrEnd(now: now, why: "worker \(worker) stopped renewing its lease on this job (it expired\(expiry))")
    }

    /// A running job its worker no longer runs (`why`) goes back to `queued` for another worker,
    /// unless it has no attempts left (`failed`), or its stop or cancellation was asked: running
    /// it again would record what nobody wants, so it ends here (`failed` after a stop, since its
    /// files were never finished; `cancelled` after a cancel). A job whose files were finished is
    /// not recorded again but delivered, so a stop asked earlier does not end it.
    private mutating func requeueOrEnd(now: Date, why: String) {
        if cancelRequested {
            end(.cancelled, now: now)
        } else if filesFinished && attempts >= maxAttempts {
            error = "\(why) while its files were being delivered, and the job has no attempts left (\(attempts) of \(maxAttempts) used); the files are kept in \(outputDirectory ?? "its folder")"
            end(.failed, now: now)
        } else if stopRequested && !filesFinished {
            error = "\(why) while the recording was being stopped; the files written so far are kept"
            end(.failed, now: now)
        } else if attempts >= maxAttempts {
            error = "\(why), and the job has no attempts left (\(attempts) of \(maxAttempts) used)"
            end(.failed, now: now)
        } else {
            state = .queued
            lease = nil
            touch(now)
        }
    }

    /// `recordWebhookDelivery`. Not a change of the job itself, so `updatedAt` stays.
    mutating func appendWebhookDelivery(_ delivery: WebhookDelivery) {
        webhookDeliveries.append(delivery.roundedToMilliseconds)
    }

    /// `markFilesPurged`: only an ended job's files can be gone for good; the first time stays.
    /// Not a change of what the job did, so `updatedAt` stays, as for a webhook delivery.
    mutating func markFilesPurged(now: Date) throws(JobStoreError) {
        guard state.isTerminal else { throw .notEnded(id: id, state: state) }
        filesPurgedAt = filesPurgedAt ?? now.roundedToMilliseconds
    }

    private func requireNotEnded() throws(JobStoreError) {
        if state.isTerminal { throw .terminal(id: id, state: state) }
    }

    func requireLease(heldBy worker: String) throws(JobStoreError) {
        guard state.isRunning, lease?.worker == worker else { throw .leaseLost(id: id, worker: worker) }
    }

    private mutating func end(_ terminal: JobState, now: Date) {
        state = terminal
        endedAt = now.roundedToMilliseconds
        lease = nil
        touch(now)
    }

    private mutating func touch(_ now: Date) {
        updatedAt = now.roundedToMilliseconds
    }
}
