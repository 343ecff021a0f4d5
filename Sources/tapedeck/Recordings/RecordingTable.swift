import Foundation
import Jobs

/// Recordings as short text for people: one line each in a list, more lines for one.
enum RecordingTable {
    static func decodeJob(_ data: Data) throws -> RecordingJob {
        try RecordingJobJSON.decoder().decode(RecordingJob.self, from: data)
    }

    static func list(_ jobs: [RecordingJob], nextCursor: String?) -> String {
        let rows = [["ID", "STATE", "ROOM", "RECIPE", "CREATED", "FILES"]] + jobs.map { job in
            [job.id, job.state.rawValue, job.spec.room, job.spec.recipe, time(job.createdAt),
             job.filesPurgedAt == nil ? "\(job.outputs.count)" : "purged"]
        }
        var text = aligned(rows)
        if let nextCursor { text += "\nmore: --cursor \(nextCursor)" }
        return text
    }

    static func detail(_ job: RecordingJob) -> String {
        var lines: [(String, String)] = [
            ("id", job.id), ("state", job.state.rawValue), ("room", job.spec.room), ("recipe", job.spec.recipe),
            ("signaling", job.spec.signalingURL), ("created", time(job.createdAt)),
        ]
        if let started = job.recordingStartedAt { lines.append(("recording since", time(started))) }
        if let ended = job.endedAt { lines.append(("ended", time(ended))) }
        if let error = job.error { lines.append(("error", error)) }
        if job.stopRequested { lines.append(("stop", "requested")) }
        if job.cancelRequested { lines.append(("cancel", "requested")) }
        if let purged = job.filesPurgedAt { lines.append(("files deleted", time(purged))) }
        if !job.spec.metadata.isEmpty {
            lines.append(("metadata", job.spec.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
        }
        let width = lines.map(\.0.count).max() ?? 0
        var text = lines.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
        if !job.outputs.isEmpty {
            let rows = [["FILE", "PARTICIPANT", "BYTES", "SECONDS", "LOCATION"]] + job.outputs.map { output in
                [output.path + (output.finished ? "" : " (writing)"), output.participant ?? "(room)", "\(output.bytes)",
                 output.durationSeconds.map { String(format: "%.1f", $0) } ?? "-", output.location ?? "-"]
            }
            text += "\n\n" + aligned(rows)
        }
        return text
    }

    private static func time(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private static func aligned(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
