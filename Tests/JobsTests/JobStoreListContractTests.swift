import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// `list`: order, filters, pages and cursors, against both stores.
@Suite struct JobStoreListContractTests {
    /// 25 jobs in rooms a, b, c; every fourth scheduled; three at a time share a creation time,
    /// so the id decides their order.
    private func makeJobs(_ store: any JobStore) async throws -> [RecordingJob] {
        var jobs: [RecordingJob] = []
        for index in 0..<25 {
            let room = ["a", "b", "c"][index % 3]
            let startAt = index % 4 == 0 ? at(3600) : nil
            jobs.append(try await store.createJob(recordingSpec(room: room, startAt: startAt), now: at(Double(index / 3))))
        }
        return jobs.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    @Test(arguments: StoreBackend.allCases, JobListOrder.allCases)
    func pagesCoverEveryJobOnceInEitherOrder(_ backend: StoreBackend, _ order: JobListOrder) async throws {
        try await backend.withStore { store in
            let oldestFirst = try await makeJobs(store)
            let expected = order == .oldestFirst ? oldestFirst : oldestFirst.reversed()
            var pages: [JobPage] = []
            var cursor: String?
            repeat {
                let page = try await store.list(JobQuery(order: order, limit: 7, cursor: cursor))
                pages.append(page)
                cursor = page.nextCursor
            } while cursor != nil && pages.count < 10
            #expect(pages.map(\.jobs.count) == [7, 7, 7, 4])
            #expect(pages.flatMap(\.jobs) == expected, "no job twice, none left out, in (created_at, id) order")
            #expect(pages.last?.nextCursor == nil)

            let exactlyOnePage = try await store.list(JobQuery(order: order, limit: 25))
            #expect(exactlyOnePage.jobs == expected && exactlyOnePage.nextCursor == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func newestFirstIsTheDefaultOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let oldestFirst = try await makeJobs(store)
            #expect(try await store.list(JobQuery(limit: 100)).jobs == oldestFirst.reversed())
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aCursorContinuesOnlyTheOrderItWasMadeFor(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await makeJobs(store)
            for order in JobListOrder.allCases {
                let cursor = try #require(try await store.list(JobQuery(order: order, limit: 3)).nextCursor)
                let other: JobListOrder = order == .newestFirst ? .oldestFirst : .newestFirst
                await #expect(throws: JobStoreError.cursorForAnotherOrder(cursor, cursorOrder: order)) {
                    try await store.list(JobQuery(order: other, limit: 3, cursor: cursor))
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases, JobListOrder.allCases)
    func filtersByCreationTimeAcrossPages(_ backend: StoreBackend, _ order: JobListOrder) async throws {
        try await backend.withStore { store in
            // Three jobs a second, from t0 to t0 + 8 s.
            let jobs = try await makeJobs(store)
            func expected(_ keep: (RecordingJob) -> Bool) -> [RecordingJob] {
                let kept = jobs.filter(keep)
                return order == .oldestFirst ? kept : kept.reversed()
            }
            // At or after: the jobs created exactly at t0 + 2 s are in.
            #expect(try await store.allJobs(createdAfter: at(2), order: order, limit: 2) == expected { $0.createdAt >= at(2) })
            // Before: those created exactly at t0 + 5 s are out, so windows tile.
            #expect(try await store.allJobs(createdBefore: at(5), order: order, limit: 2) == expected { $0.createdAt < at(5) })
            let window = try await store.allJobs(createdAfter: at(2), createdBefore: at(5), order: order, limit: 4)
            #expect(window == expected { $0.createdAt >= at(2) && $0.createdAt < at(5) } && window.count == 9)
            // A bound between two milliseconds: created_at (whole milliseconds) is compared exactly.
            #expect(try await store.allJobs(createdAfter: at(1.9995), order: order) == expected { $0.createdAt >= at(2) })
            #expect(try await store.allJobs(createdBefore: at(2.0005), order: order) == expected { $0.createdAt <= at(2) })
            #expect(try await store.allJobs(room: "a", createdAfter: at(6), order: order, limit: 1)
                    == expected { $0.spec.room == "a" && $0.createdAt >= at(6) })
            #expect(try await store.list(JobQuery(createdAfter: at(100))) == JobPage(jobs: [], nextCursor: nil))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func filtersByStateAndRoomAcrossPages(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let expected = try await makeJobs(store)
            #expect(try await store.allJobs(state: .scheduled, limit: 2) == expected.filter { $0.state == .scheduled })
            #expect(try await store.allJobs(room: "b", limit: 3) == expected.filter { $0.spec.room == "b" })
            let queuedInC = expected.filter { $0.state == .queued && $0.spec.room == "c" }
            #expect(queuedInC.count > 3)
            #expect(try await store.allJobs(state: .queued, room: "c", limit: 3) == queuedInC)
            #expect(try await store.list(JobQuery(state: .completed)) == JobPage(jobs: [], nextCursor: nil))
            #expect(try await store.list(JobQuery(room: "nowhere")) == JobPage(jobs: [], nextCursor: nil))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func theLimitIsClampedToOneThroughAHundred(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for index in 0..<101 { _ = try await store.createJob(now: at(Double(index))) }
            let atLeastOne = try await store.list(JobQuery(limit: 0))
            #expect(atLeastOne.jobs.count == 1 && atLeastOne.nextCursor != nil)
            #expect(try await store.list(JobQuery(limit: -5)).jobs.count == 1)
            let atMostAHundred = try await store.list(JobQuery(limit: 1000))
            #expect(atMostAHundred.jobs.count == 100 && atMostAHundred.nextCursor != nil)
            let rest = try await store.list(JobQuery(limit: 1000, cursor: atMostAHundred.nextCursor))
            #expect(rest.jobs.count == 1 && rest.nextCursor == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aCursorNotMadeByListIsRefused(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.createJob()
            let forged = Data("1:notanumber:x".utf8).base64EncodedString()
            for cursor in ["", "not a cursor", "%%%", forged, "eyJpZCI6MX0"] {
                await #expect(throws: JobStoreError.invalidCursor(cursor)) {
                    try await store.list(JobQuery(cursor: cursor))
                }
            }
        }
    }
}
