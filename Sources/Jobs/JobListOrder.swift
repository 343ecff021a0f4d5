/// The order `JobStore.list` returns jobs in, by `(createdAt, id)`: the id breaks ties between
/// jobs created in the same millisecond, so the order is total and a cursor is a single point in it.
public enum JobListOrder: String, CaseIterable, Sendable {
    /// The most recent first: what someone looking at recordings wants to see first.
    case newestFirst = "desc"
    /// The oldest first: what a client that follows new jobs as they come wants.
    case oldestFirst = "asc"

    /// `ORDER BY` for the jobs table, in both stores.
    var sqlOrdering: String {
        switch self {
        case .newestFirst: "created_at DESC, id DESC"
        case .oldestFirst: "created_at, id"
        }
    }

    /// The row-value comparison that keeps the jobs after a cursor's `(created_at, id)`.
    var sqlAfterCursor: String {
        switch self {
        case .newestFirst: "<"
        case .oldestFirst: ">"
        }
    }
}
