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

    @Test(arguments: StoreBackend.allCases)
    func pagesCoverEveryJobOnceOldestFirst(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let expected = try await makeJobs(store)
            var pages: [JobPage] = []
            var cursor: String?
            repeat {
                let page = try await store.list(JobQuery(limit: 7, cursor: cursor))
                pages.append(page)
                cursor = page.nextCursor
            } while cursor != nil && pages.count < 10
            #expect(pages.map(\.jobs.count) == [7, 7, 7, 4])
            #expect(pages.flatMap(\.jobs) == expected, "no job twice, none left out, in (created_at, id) order")
            #expect(pages.last?.nextCursor == nil)

            let exactlyOnePage = try await store.list(JobQuery(limit: 25))
            #expect(exactlyOnePage.jobs == expected && exactlyOnePage.nextCursor == nil)
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
