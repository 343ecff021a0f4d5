import Foundation
import Jobs
import Recorder
import Testing

@testable import Worker

@Suite("A job's progress from its recording, in process")
struct ProgressReportsTests {
    /// A manifest as the recorder reports it: one participant's file still being written.
    static func manifest(bytes: Int) throws -> RecordingManifest {
        let json = """
            {"formatVersion": 1, "recordingId": "job-1", "room": "standup", "recipe": "webm", "state": "recording",
             "startedAt": "2026-12-06T04:00:00.000Z", "errors": [],
             "participants": [{"id": "p1", "name": "alice", "connections": [], "unrecordedStreams": [],
               "segments": [{"number": 1, "joinedAt": "2026-12-06T04:00:01.000Z",
                 "files": [{"path": "alice.webm", "container": "webm", "finished": false,
                            "temporaryPath": ".alice.webm.partial", "bytes": \(bytes), "tracks": []}]}]}]}
            """
        return try JSONDecoder().decode(RecordingManifest.self, from: Data(json.utf8))
    }

    @Test("Nothing before the recording's first report; then the latest manifest's outputs, after the earlier attempts'")
    func latestManifest() throws {
        let earlier = JobOutput(path: "alice-1.webm", participant: "alice", segment: 1, bytes: 10, finished: true, durationSeconds: 1)
        let reports = ProgressReports(earlierOutputs: [earlier], earlierStatistics: nil, metrics: WorkerMetrics())
        #expect(reports.latestSummary == nil)
        reports.received(try Self.manifest(bytes: 1_000))
        reports.received(try Self.manifest(bytes: 5_000))
        let summary = try #require(reports.latestSummary)
        #expect(summary.outputs.map(\.bytes) == [5_000])
        let (outputs, statistics) = reports.merged(summary)
        #expect(outputs.map(\.path) == ["alice-1.webm", "alice.webm"])
        #expect(statistics.bytesWritten == 5_000 && statistics.participants == 1)
    }
}
