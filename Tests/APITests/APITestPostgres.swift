import Foundation

@testable import Jobs

/// The PostgreSQL server the routes are tested against: the one `TAPEDECK_TEST_POSTGRES_URL`
/// names, else a throwaway cluster `scripts/test-postgres` starts for this test process (and
/// stops when it exits). Never skipped: without a server the PostgreSQL tests fail, saying why.
///
/// The same as JobsTests' `TestPostgres`, which a test target cannot import; with the variable
/// set (`make test` can start one server for both), the two share it.
enum APITestPostgres {
    /// A new, empty database for one test; `body` gets its URL; dropped afterwards.
    static func withDatabase(_ body: (PostgresURL) async throws -> Void) async throws {
        let server = try await server.value
        var database = server
        database.database = "tapedeck_api_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await server.execute(sql: "CREATE DATABASE \(database.database)")
        do {
            try await body(database)
        } catch {
            try? await server.execute(sql: "DROP DATABASE \(database.database) WITH (FORCE)")
            throw error
        }
        try await server.execute(sql: "DROP DATABASE \(database.database) WITH (FORCE)")
    }

    private static let urlVariable = "TAPEDECK_TEST_POSTGRES_URL"

    private static let server = Task<PostgresURL, any Error> {
        if let text = ProcessInfo.processInfo.environment[urlVariable], !text.isEmpty {
            return try PostgresURL(text)
        }
        return try await startCluster()
    }

    /// Runs `scripts/test-postgres --watch <this process>` and reads the URL it prints.
    private static func startCluster() async throws -> PostgresURL {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/test-postgres")
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-api-postgres-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let process = Process()
        process.executableURL = script
        process.arguments = ["--watch", String(ProcessInfo.processInfo.processIdentifier)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The script prints the URL once the server accepts connections, or exits (closing its
        // output); reading blocks, so it happens off the cooperative pool.
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
        let prefix = "export \(urlVariable)="
        guard let line, line.hasPrefix(prefix) else {
            process.waitUntilExit()
            let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw APITestPostgresUnavailable(description: """
                the PostgreSQL tests need a server: set \(urlVariable), or install PostgreSQL 15 (scripts/bootstrap) \
                so that scripts/test-postgres can start one; it said: \(said.trimmingCharacters(in: .whitespacesAndNewlines))
                """)
        }
        return try PostgresURL(String(line.dropFirst(prefix.count)))
    }
}

struct APITestPostgresUnavailable: Error, CustomStringConvertible {
    var description: String
}
