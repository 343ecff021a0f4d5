import Foundation
import Jobs

/// The query string of `GET /v1/recordings`: `state`, `room`, `created_after` (at or after) and
/// `created_before` (before), both RFC 3339, `order` (`desc`, newest first, the default; or
/// `asc`), `limit` (1…100, default 50) and `cursor` (a previous page's `next_cursor`, with the
/// same order). Anything else is refused by name, as in a body.
public enum RecordingListQuery {
    public static let parameters = ["state", "room", "created_after", "created_before", "order", "limit", "cursor"]
    public static let defaultLimit = 50
    public static let limits = 1...100

    /// - Parameter items: the query's name-value pairs, percent-decoded, in order.
    public static func parse(_ items: [(name: String, value: String)]) throws(APIProblem) -> JobQuery {
        var query = JobQuery(order: .newestFirst, limit: defaultLimit)
        var seen: Set<String> = []
        for (name, value) in items {
            guard parameters.contains(name) else {
                throw .invalidQueryParameter(name, "\"\(name)\" is not a query parameter of this route; it takes \(parameters.joined(separator: ", "))")
            }
            guard seen.insert(name).inserted else {
                throw .invalidQueryParameter(name, "\(name) is given more than once")
            }
            switch name {
            case "state":
                guard let state = JobState(rawValue: value) else {
                    let states = JobState.allCases.map(\.rawValue).joined(separator: ", ")
                    throw .invalidQueryParameter(name, "state \"\(value)\" is not one of \(states)")
                }
                query.state = state
            case "room":
                query.room = value
            case "created_after":
                query.createdAfter = try time(name, value)
            case "created_before":
                query.createdBefore = try time(name, value)
            case "order":
                guard let order = JobListOrder(rawValue: value) else {
                    throw .invalidQueryParameter(name, "order must be desc (newest first) or asc (oldest first); it is \"\(value)\"")
                }
                query.order = order
            case "limit":
                guard let limit = Int(value), limits.contains(limit) else {
                    throw .invalidQueryParameter(name, "limit must be a whole number from \(limits.lowerBound) to \(limits.upperBound); it is \"\(value)\"")
                }
                query.limit = limit
            default:
                guard !value.isEmpty else { throw .invalidQueryParameter(name, "cursor is empty") }
                query.cursor = value
            }
        }
        if let after = query.createdAfter, let before = query.createdBefore, after >= before {
            throw .invalidQueryParameter("created_before", "created_before (\(RFC3339.string(from: before))) must be later than "
                                         + "created_after (\(RFC3339.string(from: after))): no recording is created in between")
        }
        return query
    }

    private static func time(_ name: String, _ value: String) throws(APIProblem) -> Date {
        guard let date = RFC3339.date(from: value) else {
            // A `+` in a query string is often meant as a space by the sender's encoder; say so.
            throw .invalidQueryParameter(name, "\(name) must be an RFC 3339 date-time such as 2026-05-04T09:30:00Z "
                                         + "(write a + offset as %2B); it is \"\(value)\"")
        }
        return date
    }
}
