import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// What only the PostgreSQL store has: its URL, its migrations and its connection errors.
@Suite struct PostgresJobStoreTests {
    @Test func aMistypedDatabaseURLIsRefusedWithoutShowingItsPassword() {
        #expect {
            _ = try JobDatabaseLocation(parsing: "postgress://tapedeck:hunter2-secret@db.internal/jobs")
        } throws: { error in
            let text = "\(error)"
            return text.contains("postgress://tapedeck:***@db.internal/jobs") && !text.contains("hunter2-secret")
                && text.contains("expected sqlite:PATH or postgres://")
        }
    }

    @Test func aURLNamesTheServerTheLoginAndTheDatabase() throws {
        let url = try PostgresURL("postgres://tapedeck:p%40ss%3Aword@db.internal:6543/jobs?sslmode=require")
        #expect(url.host == "db.internal" && url.port == 6543 && url.database == "jobs")
        #expect(url.username == "tapedeck" && url.password == "p@ss:word" && url.tlsMode == .require)
        #expect(url.description == "postgres://tapedeck@db.internal:6543/jobs?sslmode=require", "no password")

        let defaults = try PostgresURL("postgresql://worker@127.0.0.1/tapedeck")
        #expect(defaults.port == 5432 && defaults.password == nil && defaults.tlsMode == .prefer)
        #expect(try PostgresURL("postgres://u@[::1]:5433/d?sslmode=verify-full").host == "::1")
    }

    @Test func aURLThatIsNotPostgresIsRefusedWithoutShowingItsPassword() async {
        let refused = [
            "http://u:secret@host/db", "postgres://u:secret@host", "postgres://u:secret@host/a/b",
            "postgres://:secret@host/db", "postgres://u:secret@host/db?sslmode=maybe",
            "postgres://u:secret@host/db?timeout=3", "not a url at all",
        ]
        for text in refused {
            let reason = await databaseErrorReason { _ = try PostgresURL(text) }
            #expect(reason.contains("not a PostgreSQL URL") && !reason.contains("secret"), "\(reason)")
        }
    }

    @Test func processesStartingTogetherMigrateTheSchemaOnce() async throws {
        try await TestPostgres.withDatabase { url in
            let stores = (0..<4).map { _ in PostgresJobStore(url: url) }
            let applied: [[Int]] = try await withThrowingTaskGroup(of: [Int].self) { group in
                for store in stores { group.addTask { try await store.migrate() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(applied.sorted { $0.count > $1.count } == [PostgresJobSchema.migrations.map(\.version), [], [], []])
            #expect(try await stores[0].migrate() == [])
        }
    }

    @Test func aServerThatCannotBeReachedIsADatabaseErrorThatSaysWhy() async throws {
        // Nothing listens on port 1.
        let store = try PostgresJobStore(url: "postgres://tapedeck:secret@127.0.0.1:1/jobs?sslmode=disable")
        let reason = await databaseErrorReason { try await store.migrate() }
        #expect(reason.contains("127.0.0.1:1") && reason.lowercased().contains("refused") && !reason.contains("secret"),
                "\(reason)")
    }

    @Test func aWrongPasswordOrDatabaseIsADatabaseErrorInTheServersWords() async throws {
        var url = try await TestPostgres.serverURL()
        url.password = "wrong"
        let wrongPassword = await databaseErrorReason { try await PostgresJobStore(url: url).migrate() }
        #expect(wrongPassword.contains("password authentication failed") && wrongPassword.contains("SQLSTATE 28P01"),
                "\(wrongPassword)")
        var missing = try await TestPostgres.serverURL()
        missing.database = "no_such_database"
        let noDatabase = await databaseErrorReason { try await PostgresJobStore(url: missing).migrate() }
        #expect(noDatabase.contains("\"no_such_database\" does not exist"), "\(noDatabase)")
    }

    @Test(.timeLimit(.minutes(3))) func aQueryOnAStoppedPoolFailsInsteadOfWaiting() async throws {
        try await TestPostgres.withDatabase { url in
            let store = PostgresJobStore(url: url)
            try await store.withRunning { _ = try await store.createJob() }
            await #expect(throws: JobStoreError.self) { try await store.countByState() }
        }
    }
}
