import Jobs

/// The query string of `GET /v1/recordings`: `state`, `room`, `limit` (1…100, default 50) and
/// `cursor` (a previous page's `next_cursor`). Anything else is refused by name, as in a body.
public enum RecordingListQuery {
    public static let parameters = ["state", "room", "limit", "cursor"]
    public static let defaultLimit = 50
    public static let limits = 1...100

    /// - Parameter items: the query's name-value pairs, percent-decoded, in order.
    public static func parse(_ items: [(name: String, value: String)]) throws(APIProblem) -> JobQuery {
        var query = JobQuery(limit: defaultLimit)
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
        return query
    }
}
