import PostgresNIO

/// What went wrong with PostgreSQL, in words an operator can act on. postgres-nio's errors print
/// as a generic "PSQLError" on purpose (their details may hold data); what is kept here is the
/// server's message, SQLSTATE and detail, or the connection's failure — never query parameters.
enum PostgresErrorReason {
    static func describe(_ error: any Error, url: PostgresURL) -> String {
        switch error {
        case let error as PSQLError:
            if let server = error.serverInfo {
                var reason = server[.message] ?? "the server refused the request"
                if let sqlState = server[.sqlState] { reason += " (SQLSTATE \(sqlState))" }
                if let detail = server[.detail] { reason += ": \(detail)" }
                return "\(url): \(reason)"
            }
            var reason = "\(url): \(error.code)"
            if let underlying = error.underlying { reason += ": \(underlying)" }
            return reason
        case let error as PostgresDecodingError:
            return "\(url): column \(error.columnName) does not read as \(error.targetType) "
                + "(it is \(error.postgresType)): \(error.code)"
        default:
            return "\(url): \(error)"
        }
    }
}
