import Jobs

extension APIProblem {
    /// The store's refusals, in the API's words. A database that cannot be reached is 503: the
    /// request may succeed later, so a scheduler should retry it (with its Idempotency-Key).
    init(_ error: JobStoreError) {
        switch error {
        case .idempotencyConflict(let key, let jobID): self = .idempotencyConflict(key: key, recordingID: jobID)
        case .terminal(let id, let state): self = .recordingEnded(id, state: state)
        case .notFound(let id): self = .recordingNotFound(id)
        case .invalidCursor(let cursor):
            self = .invalidQueryParameter("cursor", "the cursor \"\(cursor)\" is not one this server gave")
        case .cursorForAnotherOrder(let cursor, let order):
            self = .invalidQueryParameter(
                "cursor", "the cursor \"\(cursor)\" continues a listing in order=\(order.rawValue); pass that order with it")
        case .notEnded(let id, let state):
            // A job claimed between the API's check and its purge.
            self = .recordingRunning(id, state: state)
        case .database:
            self = .databaseUnavailable("the job database could not be reached or refused the request")
        case .leaseLost, .invalidTransition, .webhookEventNotFound:
            // Only workers' calls throw these; from the API's calls they would be a bug.
            self = .internalError()
        }
    }
}
