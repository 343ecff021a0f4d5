import Foundation

@testable import Jobs

/// The PostgreSQL server the PostgreSQL half of the contract suite runs against: the one
/// `TAPEDECK_TEST_POSTGRES_URL` names, else a throwaway cluster `scripts/test-postgres` starts
/// for this test process (and stops when it exits). Never skipped: without a server, every
/// PostgreSQL test fails and says why.
public enum TestPostgres {
    /// The server's URL, logged in as a user that may create databases.
    public static func serverURL() async throws -> PostgresURL { try await server.value }

    /// A new, empty database for one test; `body` gets its URL; dropped afterwards.
    public static func withDatabase(_ body: (PostgresURL) async throws -> Void) async throws {
        let server = try await serverURL()
        var database = server
        database.database = "tapedeck_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await server.execute(sql: "CREATE DATABASE \(database.database)")
        do {
            try await body(database)
        } catch {
            try? await server.execute(sql: "DROP DATABASE \(database.database) WITH (FORCE)")
            throw error
        }
        try await server.execute(sql: "DROP DATABASE \(database.database) WITH (FORCE)")
    }

    private static let server = Task<PostgresURL, any Error> {
        if let text = ProcessInfo.processInfo.environment[urlVariable], !text.isEmpty {
            return try PostgresURL(text)
        }
        return try await startCluster()
    }

    private static let urlVariable = "TAPEDECK_TEST_POSTGRES_URL"

    /// Runs `scripts/test-postgres --watch <this process>` and reads the URL it prints.
    private static func startCluster() async throws -> PostgresURL {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/test-postgres")
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-test-postgres-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let process = Process()
        process.executableURL = script
        process.arguments = ["--watch", String(ProcessInfo.processInfo.processIdentifier)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw TestPostgresUnavailable("cannot run \(script.path): \(error)")
        }
        let prefix = "export \(urlVariable)="
        // The script prints the URL once the server accepts connections, or exits on failure
        // (closing its output); reading blocks, so it happens off the cooperative pool.
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            DispatchQueue.global().async {
                var text = ""
                while !text.contains("\n") {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    text += String(decoding: chunk, as: UTF8.self)
                }
                continuation.resume(returning: text.split(separator: "\n").first.map(String.init))
            }
        }
        guard let line, line.hasPrefix(prefix) else {
            process.waitUntilExit()
            let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw TestPostgresUnavailable("""
                scripts/test-postgres did not start PostgreSQL (exit status \(process.terminationStatus)): \
                \(said.trimmingCharacters(in: .whitespacesAndNewlines))
                """)
        }
        return try PostgresURL(String(line.dropFirst(prefix.count)))
    }
}

/// Why the PostgreSQL tests have no server.
struct TestPostgresUnavailable: Error, CustomStringConvertible {
    var description: String

    init(_ reason: String) {
        description = "The PostgreSQL store's tests need a PostgreSQL server: set TAPEDECK_TEST_POSTGRES_URL, "
            + "or install PostgreSQL 15 (scripts/bootstrap) so they can start one with scripts/test-postgres. \(reason)"
    }
}
