import Foundation
import PostgresNIO

/// Where a PostgreSQL database is and how to log in to it, from a libpq-style URL:
/// `postgres://user:password@host:port/database?sslmode=disable|prefer|require` (also
/// `postgresql://`; port 5432 by default; user name and password percent-decoded). `sslmode`
/// defaults to `prefer`, as in libpq; whenever TLS is used the server's certificate is verified.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode

    public init(_ text: String) throws(JobStoreError) {
        func invalid(_ why: String) -> JobStoreError {
            .database("\"\(Self.redacted(text))\" is not a PostgreSQL URL (postgres://user:password@host:port/database): \(why)")
        }
        guard let components = URLComponents(string: text) else { throw invalid("it does not parse as a URL") }
        guard components.scheme == "postgres" || components.scheme == "postgresql" else {
            throw invalid("the scheme must be postgres or postgresql")
        }
        guard let host = components.host, !host.isEmpty else { throw invalid("there is no host") }
        guard let username = components.user, !username.isEmpty else { throw invalid("there is no user name") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw invalid("the path must name one database") }
        var tlsMode = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", let value?):
                // libpq's verify-ca and verify-full verify the certificate, as every mode here does.
                guard let mode = TLSMode(rawValue: value == "verify-ca" || value == "verify-full" ? "require" : value) else {
                    throw invalid("sslmode must be disable, prefer, require, verify-ca or verify-full")
                }
                tlsMode = mode
            default:
                throw invalid("unknown parameter \(item.name) (only sslmode is understood)")
            }
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.username = username
        self.password = components.password
        self.database = database
        self.tlsMode = tlsMode
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        "postgres://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
    }

    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch tlsMode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                            database: database, tls: tls)
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch tlsMode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                                database: database, tls: tls)
    }

    /// `text` with the password of a URL in it replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
