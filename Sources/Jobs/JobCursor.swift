import Foundation

/// Where a page of `list` ended: the last job's creation time and id, the order's two keys, and
/// the order itself (a position means nothing in the other direction). It is handed out as
/// base64url text, opaque to clients, and checked when it comes back.
struct JobCursor: Equatable {
    /// The last job's `createdAt`, in milliseconds since 1970.
    var createdAt: Int64
    var id: String
    var order: JobListOrder

    init(after job: RecordingJob, order: JobListOrder) {
        createdAt = job.createdAt.millisecondsSince1970
        id = job.id
        self.order = order
    }

    /// Reads a cursor `text` made; anything else is `.invalidCursor`.
    init(parsing text: String) throws(JobStoreError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else {
            throw .invalidCursor(text)
        }
        let parts = plain.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let order = Self.orders[String(parts[0])], let createdAt = Int64(parts[1]),
              String(createdAt) == parts[1], !parts[2].isEmpty
        else { throw .invalidCursor(text) }
        self.createdAt = createdAt
        self.id = String(parts[2])
        self.order = order
    }

    /// `<tag>:<createdAt ms>:<id>` in base64url without padding.
    var text: String {
        Data("\(Self.tag(order)):\(createdAt):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The cursor's first field: `1` for oldest first (the only order, and so the only tag, there
    /// was before; cursors handed out then still read back), `1d` for newest first.
    private static func tag(_ order: JobListOrder) -> String {
        switch order {
        case .oldestFirst: "1"
        case .newestFirst: "1d"
        }
    }

    private static let orders = Dictionary(uniqueKeysWithValues: JobListOrder.allCases.map { (tag($0), $0) })
}

extension JobQuery {
    /// `limit` brought into 1...100.
    var clampedLimit: Int { min(max(limit, 1), 100) }

    /// The decoded `cursor`, nil for the first page; a cursor of the other order is refused.
    func parsedCursor() throws(JobStoreError) -> JobCursor? {
        guard let cursor else { return nil }
        let parsed = try JobCursor(parsing: cursor)
        guard parsed.order == order else { throw .cursorForAnotherOrder(cursor, cursorOrder: parsed.order) }
        return parsed
    }

    /// `createdAfter` in milliseconds, rounded up: a job's `createdAt` is whole milliseconds, so
    /// `created_at >= ceil(t)` keeps exactly the jobs at or after `t`.
    var createdAfterMilliseconds: Int64? { createdAfter.map(Self.ceilingMilliseconds) }

    /// `createdBefore` in milliseconds, rounded up: `created_at < ceil(t)` keeps exactly those before `t`.
    var createdBeforeMilliseconds: Int64? { createdBefore.map(Self.ceilingMilliseconds) }

    private static func ceilingMilliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.up))
    }
}

extension JobPage {
    /// The page made of `rows`, fetched in list order with one row more than `limit` asked for: that
    /// extra row, when present, says there is a next page.
    init(rows: [RecordingJob], limit: Int, order: JobListOrder) {
        let jobs = Array(rows.prefix(limit))
        self.init(jobs: jobs, nextCursor: rows.count > limit ? jobs.last.map { JobCursor(after: $0, order: order).text } : nil)
    }
}
