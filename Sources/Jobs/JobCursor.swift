import Foundation

/// Where a page of `list` ended: the last job's creation time and id, the order's two keys. It is
/// handed out as base64url text, opaque to clients, and checked when it comes back.
struct JobCursor: Equatable {
    /// The last job's `createdAt`, in milliseconds since 1970.
    var createdAt: Int64
    var id: String

    init(after job: RecordingJob) {
        createdAt = job.createdAt.millisecondsSince1970
        id = job.id
    }

    /// Reads a cursor `text` made; anything else is `.invalidCursor`.
    init(parsing text: String) throws(JobStoreError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else {
            throw .invalidCursor(text)
        }
        let parts = plain.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.version, let createdAt = Int64(parts[1]),
              String(createdAt) == parts[1], !parts[2].isEmpty
        else { throw .invalidCursor(text) }
        self.createdAt = createdAt
        self.id = String(parts[2])
    }

    /// `1:<createdAt ms>:<id>` in base64url without padding.
    var text: String {
        Data("\(Self.version):\(createdAt):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static let version = "1"
}

extension JobQuery {
    /// `limit` brought into 1...100.
    var clampedLimit: Int { min(max(limit, 1), 100) }

    /// The decoded `cursor`, nil for the first page.
    func parsedCursor() throws(JobStoreError) -> JobCursor? {
        guard let cursor else { return nil }
        return try JobCursor(parsing: cursor)
    }
}

extension JobPage {
    /// The page made of `rows`, fetched in list order with one row more than `limit` asked for: that
    /// extra row, when present, says there is a next page.
    init(rows: [RecordingJob], limit: Int) {
        let jobs = Array(rows.prefix(limit))
        self.init(jobs: jobs, nextCursor: rows.count > limit ? jobs.last.map { JobCursor(after: $0).text } : nil)
    }
}
