import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// `recordWebhookDelivery` and `countByState`, against both stores.
@Suite struct JobStoreRecordsContractTests {
    @Test(arguments: StoreBackend.allCases)
    func webhookDeliveriesAreAppendedInOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let job = try await store.createJob()
            let failed = WebhookDelivery(event: "recording.started", attempt: 1, at: at(1.234_5), status: nil,
                                         error: "connection refused")
            let delivered = WebhookDelivery(event: "recording.started", attempt: 2, at: at(3), status: 204, error: nil)
            try await store.recordWebhookDelivery(id: job.id, failed)
            try await store.recordWebhookDelivery(id: job.id, delivered)
            let stored = try #require(try await store.job(id: job.id))
            #expect(stored.webhookDeliveries.map(\.attempt) == [1, 2])
            #expect(stored.webhookDeliveries[0].at == Date(timeIntervalSince1970: 1_800_000_001.235))
            #expect(stored.webhookDeliveries[0].error == "connection refused" && stored.webhookDeliveries[0].status == nil)
            #expect(stored.webhookDeliveries[1] == delivered && stored.webhookDeliveries[1].succeeded)
            #expect(stored.updatedAt == job.updatedAt, "a delivery is not a change of the job")

            await #expect(throws: JobStoreError.notFound(id: "no-such-job")) {
                try await store.recordWebhookDelivery(id: "no-such-job", delivered)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func jobsAreCountedByState(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.countByState() == [:])
            _ = try await store.runningJob(now: t0)
            _ = try await store.createJob(now: at(1))
            _ = try await store.createJob(now: at(2))
            _ = try await store.createJob(recordingSpec(startAt: at(600)), now: at(3))
            let cancelled = try await store.createJob(now: at(4))
            _ = try await store.cancel(id: cancelled.id, now: at(5))
            #expect(try await store.countByState() == [.joining: 1, .queued: 2, .scheduled: 1, .cancelled: 1])
        }
    }
}
