/// The query string of `DELETE /v1/recordings/{id}`: `purge` (`true` or `false`, default false).
enum RecordingDeleteQuery {
    static let parameters = ["purge"]

    struct Parsed { var purge = false }

    static func parse(_ items: [(name: String, value: String)]) throws(APIProblem) -> Parsed {
        var parsed = Parsed()
        var seen: Set<String> = []
        for (name, value) in items {
            guard parameters.contains(name) else {
                throw .invalidQueryParameter(name, "\"\(name)\" is not a query parameter of this route; it takes purge")
            }
            guard seen.insert(name).inserted else { throw .invalidQueryParameter(name, "\(name) is given more than once") }
            switch value {
            case "true": parsed.purge = true
            case "false": parsed.purge = false
            default: throw .invalidQueryParameter(name, "purge must be true or false; it is \"\(value)\"")
            }
        }
        return parsed
    }
}
