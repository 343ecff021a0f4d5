import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// The webhook outbox: events written with the state changes they report, and the deliverer's
/// claims and attempts, against both stores.
@Suite struct JobStoreWebhookOutboxContractTests {
    @Test(arguments: StoreBackend.allCases)
    func aJobThatRecordsAndCompletesWritesStartedThenCompleted(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var spec = recordingSpec()
            spec.webhookURL = "https://hooks.example.org/tapedeck"
            let created = try await store.createJob(spec, now: t0)
            _ = try #require(try await store.claim(worker: "worker-1", capacity: 1, leaseDuration: .seconds(30), now: at(1)))
            #expect(try await store.webhookEvents(jobID: created.id).isEmpty, "created and claimed: nothing to report")
            let recording = try await store.update(id: created.id, worker: "worker-1", JobProgress(state: .recording), now: at(2))
            _ = try await store.update(id: created.id, worker: "worker-1", JobProgress(state: .recording), now: at(3))
            _ = try await store.update(id: created.id, worker: "worker-1", JobProgress(state: .finalizing), now: at(4))
            let outputs = [JobOutput(path: "alice.webm", participant: "alice", segment: 1, bytes: 1024, finished: true,
                                     durationSeconds: 2)]
            let completed = try await store.update(id: created.id, worker: "worker-1",
                                                   JobProgress(state: .completed, outputs: outputs), now: at(5))

            let events = try await store.webhookEvents(jobID: created.id)
            #expect(events.map(\.type) == [.started, .completed])
            #expect(events[0].sequence < events[1].sequence)
            #expect(events.map(\.createdAt) == [at(2), at(5)] && events.map(\.nextAttemptAt) == [at(2), at(5)])
            #expect(events.allSatisfy { $0.webhookURL == spec.webhookURL && $0.attempts == 0 && $0.isPending && $0.claim == nil })
            #expect(Set(events.map(\.id)).count == 2)
            // The body is the event as POSTed, with the job as it was at the change.
            for (event, job) in zip(events, [recording, completed]) {
                let body = try #require(try JSONSerialization.jsonObject(with: Data(event.body.utf8)) as? [String: Any])
                #expect(body["id"] as? String == event.id && body["type"] as? String == event.type.rawValue)
                #expect(body["created_at"] as? String == ISO8601DateFormatter.withMilliseconds.string(from: event.createdAt))
                let data = try JSONSerialization.data(withJSONObject: try #require(body["data"]))
                #expect(try RecordingJobJSON.decoder().decode(RecordingJob.self, from: data) == job)
            }
            #expect(try await store.pendingWebhookEventCount() == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func cancellingAJobBeforeItRunsWritesCancelledEvenWithoutAWebhookURL(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let scheduled = try await store.createJob(recordingSpec(startAt: at(600)), now: t0)
            let cancelled = try #require(try await store.cancel(id: scheduled.id, now: at(1)))
            let events = try await store.webhookEvents(jobID: scheduled.id)
            #expect(events.map(\.type) == [.cancelled] && events[0].webhookURL == nil && events[0].createdAt == at(1))
            #expect(events[0].body.contains("\"state\":\"cancelled\""), "\(events[0].body)")
            #expect(cancelled.state == .cancelled)

            // A stop asked of a job not yet running cancels it too.
            let queued = try await store.createJob(now: at(2))
            _ = try await store.requestStop(id: queued.id, now: at(3))
            #expect(try await store.webhookEvents(jobID: queued.id).map(\.type) == [.cancelled])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRunningJobCancelledWritesCancelledWhenItsWorkerGivesItBack(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", now: t0)
            _ = try await store.cancel(id: running.id, now: at(1))
            #expect(try await store.webhookEvents(jobID: running.id).isEmpty, "only asked: the worker is still at it")
            _ = try await store.release(id: running.id, worker: "worker-1", error: nil, now: at(2))
            #expect(try await store.webhookEvents(jobID: running.id).map(\.type) == [.cancelled])

            // Cancelled by its worker's report, the same event.
            let other = try await store.runningJob(worker: "worker-1", now: at(3))
            _ = try await store.update(id: other.id, worker: "worker-1", JobProgress(state: .cancelled), now: at(4))
            #expect(try await store.webhookEvents(jobID: other.id).map(\.type) == [.cancelled])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func failuresWriteFailedOnlyWhenTheJobEnds(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            // Released after a failed attempt with attempts left: back to the queue, no event;
            // with none left: failed.
            let running = try await store.runningJob(worker: "worker-1", maxAttempts: 2, now: t0)
            _ = try await store.release(id: running.id, worker: "worker-1", error: "ICE failed", now: at(1))
            #expect(try await store.webhookEvents(jobID: running.id).isEmpty)
            _ = try #require(try await store.claim(worker: "worker-1", capacity: 1, leaseDuration: .seconds(10), now: at(2)))
            _ = try await store.release(id: running.id, worker: "worker-1", error: "ICE failed again", now: at(3))
            #expect(try await store.webhookEvents(jobID: running.id).map(\.type) == [.failed])

            // A lease that expires on the last attempt: failed, written by the reclaim.
            let abandoned = try await store.runningJob(worker: "worker-2", lease: .seconds(10), maxAttempts: 1, now: at(10))
            _ = try await store.update(id: abandoned.id, worker: "worker-2", JobProgress(state: .recording), now: at(11))
            let reclaimed = try await store.reclaimExpiredLeases(now: at(30))
            #expect(reclaimed.map(\.state) == [.failed])
            let events = try await store.webhookEvents(jobID: abandoned.id)
            #expect(events.map(\.type) == [.started, .failed] && events[1].createdAt == at(30))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRefusedChangeWritesNoEvent(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let running = try await store.runningJob(worker: "worker-1", now: t0)
            await #expect(throws: JobStoreError.leaseLost(id: running.id, worker: "worker-2")) {
                try await store.update(id: running.id, worker: "worker-2", JobProgress(state: .completed), now: at(1))
            }
            await #expect(throws: JobStoreError.invalidTransition(id: running.id, from: .joining, to: .queued)) {
                try await store.update(id: running.id, worker: "worker-1", JobProgress(state: .queued), now: at(1))
            }
            #expect(try await store.webhookEvents(jobID: running.id).isEmpty)
            #expect(try await store.pendingWebhookEventCount() == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func onlyEachJobsOldestPendingEventIsDueAndOneDelivererHoldsIt(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await store.cancelledJob(now: t0)
            let second = try await store.completedJob(now: at(1))
            let due = try await store.claimDueWebhookEvents(deliverer: "d1", limit: 10, claimDuration: .seconds(30), now: at(10))
            let secondEvents = try await store.webhookEvents(jobID: second.id)
            #expect(secondEvents.map(\.type) == [.started, .completed])
            #expect(due.map(\.jobID) == [first.id, second.id] && due.map(\.type) == [.cancelled, .started],
                    "one per job: the second job's completed waits for its started")
            #expect(due.allSatisfy { $0.claim == WebhookEventClaim(deliverer: "d1", expiresAt: at(40)) })
            #expect(try await store.webhookEvents(jobID: first.id) == [due[0]], "the claim is stored")

            // Claimed: nobody else gets them until the claim expires.
            #expect(try await store.claimDueWebhookEvents(deliverer: "d2", limit: 10, claimDuration: .seconds(30), now: at(20)).isEmpty)
            let retaken = try await store.claimDueWebhookEvents(deliverer: "d2", limit: 1, claimDuration: .seconds(30), now: at(40))
            #expect(retaken.map(\.id) == [due[0].id] && retaken[0].claim?.deliverer == "d2", "limit 1, oldest due first")

            // Delivered: the job's next event is due.
            let delivered = try await store.recordWebhookAttempt(
                eventID: due[1].id, .delivered(WebhookDelivery(event: "recording.started", attempt: 1, at: at(41), status: 204, error: nil)),
                now: at(41))
            #expect(delivered.deliveredAt == at(41) && delivered.attempts == 1 && delivered.claim == nil && !delivered.isPending)
            let next = try await store.claimDueWebhookEvents(deliverer: "d1", limit: 10, claimDuration: .seconds(30), now: at(42))
            #expect(next.map(\.id) == [secondEvents[1].id])
            #expect(try await store.job(id: second.id)?.webhookDeliveries.map(\.status) == [204], "the attempt is on the job")
            #expect(try await store.pendingWebhookEventCount() == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aFailedAttemptWaitsForItsRetryAndAGivenUpEventLetsTheNextGo(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let job = try await store.completedJob(now: t0)
            let started = try #require(try await store.claimDueWebhookEvents(
                deliverer: "d1", limit: 10, claimDuration: .seconds(30), now: at(10)).first)
            let refused = WebhookDelivery(event: "recording.started", attempt: 1, at: at(10), status: 503, error: nil)
            let failed = try await store.recordWebhookAttempt(eventID: started.id, .failed(refused, retryAt: at(12)), now: at(10))
            #expect(failed.attempts == 1 && failed.nextAttemptAt == at(12) && failed.lastError == "HTTP 503")
            #expect(failed.claim == nil && failed.isPending)
            #expect(try await store.claimDueWebhookEvents(deliverer: "d1", limit: 10, claimDuration: .seconds(30), now: at(11)).isEmpty,
                    "not before its retry, and its job's next event waits behind it")
            let again = try await store.claimDueWebhookEvents(deliverer: "d1", limit: 10, claimDuration: .seconds(30), now: at(12))
            #expect(again.map(\.id) == [started.id] && again[0].attempts == 1)

            let unreachable = WebhookDelivery(event: "recording.started", attempt: 2, at: at(12), status: nil, error: "connection refused")
            let givenUp = try await store.recordWebhookAttempt(eventID: started.id, .givenUp(unreachable), now: at(12))
            #expect(givenUp.givenUpAt == at(12) && givenUp.attempts == 2 && givenUp.lastError == "connection refused")
            #expect(!givenUp.isPending && givenUp.deliveredAt == nil)
            let next = try await store.claimDueWebhookEvents(deliverer: "d1", limit: 10, claimDuration: .seconds(30), now: at(13))
            #expect(next.map(\.type) == [.completed])
            #expect(try await store.job(id: job.id)?.webhookDeliveries == [refused, unreachable])

            // Nowhere to send it: done without an attempt, and nothing on the job.
            let done = try await store.recordWebhookAttempt(eventID: next[0].id, .noReceiver, now: at(14))
            #expect(done.givenUpAt == at(14) && done.attempts == 0 && done.lastError?.contains("no webhook URL") == true)
            #expect(try await store.job(id: job.id)?.webhookDeliveries.count == 2)
            #expect(try await store.pendingWebhookEventCount() == 0)
            #expect(try await store.claimDueWebhookEvents(deliverer: "d1", limit: 10, claimDuration: .seconds(30), now: at(99)).isEmpty)

            // A late attempt on a settled event changes the event no more, but is on the job.
            let late = WebhookDelivery(event: "recording.completed", attempt: 1, at: at(15), status: 200, error: nil)
            #expect(try await store.recordWebhookAttempt(eventID: next[0].id, .delivered(late), now: at(15)) == done)
            #expect(try await store.job(id: job.id)?.webhookDeliveries.last == late)
            await #expect(throws: JobStoreError.webhookEventNotFound(id: "no-such-event")) {
                try await store.recordWebhookAttempt(eventID: "no-such-event", .noReceiver, now: at(16))
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func twoDeliverersClaimingAtOnceNeverGetTheSameEvent(_ backend: StoreBackend) async throws {
        try await backend.withStores(2) { stores in
            var jobs: [String] = []
            for second in 0..<12 { jobs.append(try await stores[0].cancelledJob(now: at(Double(second))).id) }
            let claims = try await withThrowingTaskGroup(of: [WebhookOutboxEvent].self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        var mine: [WebhookOutboxEvent] = []
                        for _ in 0..<6 {
                            mine += try await store.claimDueWebhookEvents(deliverer: "d\(index)", limit: 2,
                                                                          claimDuration: .seconds(30), now: at(100))
                        }
                        return mine
                    }
                }
                var all: [WebhookOutboxEvent] = []
                for try await claimed in group { all += claimed }
                return all
            }
            #expect(claims.count == 12 && Set(claims.map(\.jobID)) == Set(jobs), "every event claimed exactly once")
        }
    }
}

private extension JobStore {
    /// A job cancelled before it ran: one `recording.cancelled` event.
    func cancelledJob(now: Date) async throws -> RecordingJob {
        let job = try await createJob(now: now)
        return try #require(try await cancel(id: job.id, now: now))
    }

    /// A job that recorded and completed: `recording.started`, then `recording.completed`.
    func completedJob(now: Date) async throws -> RecordingJob {
        let running = try await runningJob(worker: "worker-c", now: now)
        _ = try await update(id: running.id, worker: "worker-c", JobProgress(state: .recording), now: now)
        _ = try await update(id: running.id, worker: "worker-c", JobProgress(state: .finalizing), now: now)
        return try await update(id: running.id, worker: "worker-c", JobProgress(state: .completed), now: now)
    }
}

private extension ISO8601DateFormatter {
    static var withMilliseconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
