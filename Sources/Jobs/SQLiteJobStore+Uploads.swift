import Foundation
import GRDB

extension SQLiteJobStore {
    public func saveUploadState(id: String, worker: String, name: String, state: Data, now: Date) async throws {
        let text = String(decoding: state, as: UTF8.self)
        try await write { db in
            try Self.requireLease(id: id, worker: worker, db)
            try db.execute(sql: """
                INSERT INTO uploads (job_id, name, state, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (job_id, name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                """, arguments: [id, name, text, now.millisecondsSince1970])
        }
    }

    public func uploadStates(id: String) async throws -> [String: Data] {
        try await read { db in
            var states: [String: Data] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, state FROM uploads WHERE job_id = ?", arguments: [id]) {
                states[try row.decode(String.self, forColumn: "name")] = Data(try row.decode(String.self, forColumn: "state").utf8)
            }
            return states
        }
    }

    public func removeUploadState(id: String, worker: String, name: String) async throws {
        try await write { db in
            try Self.requireLease(id: id, worker: worker, db)
            try db.execute(sql: "DELETE FROM uploads WHERE job_id = ? AND name = ?", arguments: [id, name])
        }
    }

    private static func requireLease(id: String, worker: String, _ db: Database) throws {
        guard let job = try SQLiteJobRow.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) else {
            throw JobStoreError.notFound(id: id)
        }
        try job.requireLease(heldBy: worker)
    }
}
