import Foundation

/// Where the jobs are kept, as `--database` names it: `sqlite:PATH` (one box) or a
/// `postgres://` / `postgresql://` URL (a fleet).
public enum JobDatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    public init(parsing text: String) throws(JobDatabaseLocationError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw JobDatabaseLocationError(text: text, reason: "sqlite: needs a file path, e.g. sqlite:/var/lib/tapedeck/jobs.sqlite") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            throw JobDatabaseLocationError(text: text, reason: "expected sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
    }
}

public struct JobDatabaseLocationError: Error, CustomStringConvertible {
    public var text: String
    public var reason: String
    /// A mistyped scheme (`postgress://user:secret@…`) still carries a password: it is hidden.
    public var description: String { "\"\(PostgresURL.redacted(text))\": \(reason)" }
}
