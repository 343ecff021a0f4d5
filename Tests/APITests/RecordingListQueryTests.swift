import Foundation
import HTTPTypes
import Jobs
import Testing

@testable import API

@Suite struct RecordingListQueryTests {
    @Test func readsEveryParameter() throws {
        #expect(try RecordingListQuery.parse([]) == JobQuery(limit: 50))
        let query = try RecordingListQuery.parse([("state", "recording"), ("room", "stand up"), ("limit", "100"), ("cursor", "abc")])
        #expect(query == JobQuery(state: .recording, room: "stand up", limit: 100, cursor: "abc"))
        let times = try RecordingListQuery.parse([("created_after", "2026-05-04T09:30:00Z"), ("order", "asc"),
                                                  ("created_before", "2026-05-04T12:00:00+01:00")])
        #expect(times == JobQuery(createdAfter: Date(timeIntervalSince1970: 1_777_887_000),
                                  createdBefore: Date(timeIntervalSince1970: 1_777_892_400), order: .oldestFirst))
    }

    @Test(arguments: [
        ([("state", "done")], "state", "state \"done\" is not one of scheduled, queued, joining, recording, finalizing, completed, failed, cancelled"),
        ([("state", "")], "state", "is not one of"),
        ([("limit", "0")], "limit", "limit must be a whole number from 1 to 100; it is \"0\""),
        ([("limit", "101")], "limit", "from 1 to 100"),
        ([("limit", "ten")], "limit", "from 1 to 100"),
        ([("limit", "")], "limit", "from 1 to 100"),
        ([("cursor", "")], "cursor", "cursor is empty"),
        ([("room", "a"), ("room", "b")], "room", "room is given more than once"),
        ([("status", "queued")], "status",
         "\"status\" is not a query parameter of this route; it takes state, room, created_after, created_before, order, limit, cursor"),
        ([("order", "newest")], "order", "order must be desc (newest first) or asc (oldest first); it is \"newest\""),
        ([("created_after", "2026-05-04 09:30:00 01:00")], "created_after", "write a + offset as %2B"),
        ([("created_before", "2026-05-04T09:30:00Z"), ("created_after", "2026-05-04T09:30:00Z")], "created_before",
         "must be later than created_after"),
    ] as [([(String, String)], String, String)])
    func badParametersAre400(_ items: [(String, String)], _ field: String, _ detail: String) throws {
        do {
            let query = try RecordingListQuery.parse(items.map { (name: $0.0, value: $0.1) })
            Issue.record("accepted: \(query)")
        } catch {
            #expect(error.status == .badRequest && error.title == "Invalid query parameter")
            #expect(error.field == field)
            #expect(error.detail.contains(detail), "\(error.detail)")
        }
    }
}
