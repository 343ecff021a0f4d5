import Jobs

/// Finds the job an Idempotency-Key made, through `JobStore.list` (the contract has no lookup by
/// key). Only used when a retried request fails its timing checks, so it may walk a room's jobs.
enum IdempotentReplayLookup {
    /// The job of `room` created with `key`, if any. A key used for another room is not found:
    /// the retry is then refused for its timing, and still nothing is created.
    static func job(key: String, room: String, in store: any JobStore) async throws -> RecordingJob? {
        var cursor: String?
        repeat {
            let page = try await store.list(JobQuery(room: room, limit: RecordingListQuery.limits.upperBound, cursor: cursor))
            if let job = page.jobs.first(where: { $0.idempotencyKey == key }) { return job }
            cursor = page.nextCursor
        } while cursor != nil
        return nil
    }
}
