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

    @Test("The room's files are outputs of nobody's: the mix, then speakers.vtt, finished with the recording's last manifest")
    func roomOutputs() throws {
        var manifest = try Self.manifest(bytes: 1_000)
        manifest.speakerTimeline = RecordingManifest.SpeakerTimelineFile(finished: false, bytes: 8)
        let mix = """
            {"file": {"path": "mix.ogg", "container": "ogg", "finished": true, "bytes": 4000,
                      "tracks": [{"id": "audio", "kind": "audio", "codec": "opus", "durationSeconds": 12.5, "frames": 625,
                                  "bytes": 3900, "framesSkippedBeforeKeyframe": 0, "timestampsAdjusted": 0,
                                  "framesDroppedWriterBehind": 0, "streams": []}]},
             "participantTracks": 1, "lateSeconds": 0, "beyondHorizonSeconds": 0, "clippedSamples": 0,
             "packetsUndecodable": 0, "framesDroppedWriterBehind": 0}
            """
        manifest.mix = try JSONDecoder().decode(RecordingManifest.Mix.self, from: Data(mix.utf8))
        let summary = ManifestSummary(manifest)
        #expect(summary.outputs.map(\.path) == ["alice.webm", "mix.ogg", "speakers.vtt"])
        #expect(summary.outputs.map(\.participant) == ["alice", nil, nil] && summary.outputs.map(\.segment) == [1, nil, nil])
        #expect(summary.outputs[1].durationSeconds == 12.5 && summary.outputs[1].contentType == "audio/ogg")
        #expect(summary.outputs[2].contentType == "text/vtt" && !summary.outputs[2].finished)
        #expect(summary.statistics.bytesWritten == 5_000, "the media files' bytes")
        #expect(summary.outputs.map(\.holdsMedia) == [true, true, false], "a recording of nobody still writes its speakers.vtt")
        // A timeline that could not be written is not there to deliver.
        manifest.speakerTimeline = RecordingManifest.SpeakerTimelineFile(finished: true, bytes: 0, error: "disk full")
        #expect(ManifestSummary(manifest).outputs.map(\.path) == ["alice.webm", "mix.ogg"])
    }

    @Test("A connection's raw capture is an output once finished: the participant's, of no segment, not media, uploaded as pcapng")
    func captureOutputs() throws {
        var manifest = try Self.manifest(bytes: 1_000)
        func connection(_ id: String, _ capture: RecordingManifest.Capture) -> RecordingManifest.Connection {
            var connection = RecordingManifest.Connection(id: id, connected: true, iceState: "connected")
            connection.capture = capture
            return connection
        }
        manifest.participants[0].connections = [
            connection("p1", RecordingManifest.Capture(path: "alice.pcapng", finished: true, bytes: 9_000, packets: 80, packetsDropped: 0)),
            // Cut short (a failed write): it stays on the recorder's disk, under its temporary name.
            connection("p1b", RecordingManifest.Capture(path: "alice-2.pcapng", finished: false, temporaryPath: ".alice-2.pcapng.partial",
                                                        bytes: 500, packets: 4, packetsDropped: 0, error: "disk full")),
        ]
        let summary = ManifestSummary(manifest)
        #expect(summary.outputs.map(\.path) == ["alice.webm", "alice.pcapng"])
        let capture = summary.outputs[1]
        #expect(capture.kind == .capture && capture.participant == "alice" && capture.segment == nil && capture.finished)
        #expect(capture.contentType == "application/x-pcapng" && !capture.holdsMedia)
        #expect(summary.outputs[0].kind == .media && summary.outputs[0].holdsMedia)
        #expect(summary.statistics.bytesWritten == 1_000, "the media files' bytes only")
    }

    @Test("An output stored before outputs had a kind gets the one its name says; its JSON says it")
    func outputKindFromItsName() throws {
        let stored = #"[{"path": "alice.webm", "participant": "alice", "segment": 1, "bytes": 5, "finished": true},"#
            + #" {"path": "speakers.vtt", "bytes": 5, "finished": true},"#
            + #" {"path": "alice.pcapng", "participant": "alice", "bytes": 5, "finished": true}]"#
        let outputs = try JSONDecoder().decode([JobOutput].self, from: Data(stored.utf8))
        #expect(outputs.map(\.kind) == [.media, .speakers, .capture])
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(outputs[2])) as? [String: Any]
        #expect(encoded?["kind"] as? String == "capture")
    }
}
