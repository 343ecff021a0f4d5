import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// `claim`, against both stores.
@Suite struct JobStoreClaimContractTests {
    @Test(arguments: StoreBackend.allCases)
    func aClaimHandsTheJobToTheWorkerUnderALease(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let job = try await store.createJob(now: t0)
            let claimed = try #require(
                try await store.claim(worker: "worker-1", capacity: 2, leaseDuration: .milliseconds(30_000), now: at(1.5)))
            #expect(claimed.id == job.id)
            #expect(claimed.state == .joining && claimed.attempts == 1)
            #expect(claimed.claimedAt == at(1.5) && claimed.updatedAt == at(1.5))
            #expect(claimed.lease == JobLease(worker: "worker-1", expiresAt: at(31.5)))
            #expect(claimed.outputDirectory == "recordings/\(job.id)")
            #expect(try await store.job(id: job.id) == claimed)
            #expect(try await store.claim(worker: "worker-2", capacity: 2, leaseDuration: .seconds(30), now: at(2)) == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func theOldestJobThatFitsAndHasAttemptsLeftGoesFirst(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let noAttempts = try await store.createJob(cpuCost: 0.1, maxAttempts: 0, now: at(-3))
            let scheduled = try await store.createJob(recordingSpec(startAt: at(3600)), cpuCost: 0.1, now: at(-2))
            let big = try await store.createJob(cpuCost: 2, now: at(-1))
            let small = try await store.createJob(cpuCost: 0.5, now: t0)
            let exact = try await store.createJob(cpuCost: 1, now: at(1))
            func claim() async throws -> String? {
                try await store.claim(worker: "worker-1", capacity: 1, leaseDuration: .seconds(30), now: at(2))?.id
            }
            #expect(try await claim() == small.id, "the older job costs more than the capacity")
            #expect(try await claim() == exact.id, "a job that costs exactly the capacity fits")
            #expect(try await claim() == nil)
            #expect(try await store.claim(worker: "worker-2", capacity: 4, leaseDuration: .seconds(30), now: at(2))?.id
                    == big.id)
            #expect(try await store.job(id: noAttempts.id)?.state == .queued)
            #expect(try await store.job(id: scheduled.id)?.state == .scheduled)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func twoWorkersClaimingAtOnceNeverGetTheSameJob(_ backend: StoreBackend) async throws {
        try await backend.withStores(2) { stores in
            var created: [String] = []
            for index in 0..<20 { created.append(try await stores[0].createJob(cpuCost: 0.25, now: at(Double(index))).id) }
            // Each worker is its own process: its own store (pool or client) over the same database.
            let claims: [(worker: String, jobs: [String])] = try await withThrowingTaskGroup(
                of: (worker: String, jobs: [String]).self
            ) { group in
                for (index, store) in stores.enumerated() {
                    let worker = "worker-\(index + 1)"
                    group.addTask {
                        var jobs: [String] = []
                        while let job = try await store.claim(worker: worker, capacity: 100, leaseDuration: .seconds(30),
                                                              now: at(100)) {
                            jobs.append(job.id)
                        }
                        return (worker, jobs)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let claimed = claims.flatMap(\.jobs)
            #expect(claimed.count == 20, "\(claims.map { "\($0.worker): \($0.jobs.count)" })")
            #expect(Set(claimed) == Set(created))
            let stored = try await stores[1].allJobs()
            #expect(stored.allSatisfy { $0.state == .joining && $0.attempts == 1 })
            for (worker, jobs) in claims {
                #expect(stored.filter { $0.lease?.worker == worker }.map(\.id).sorted() == jobs.sorted())
            }
        }
    }
}
