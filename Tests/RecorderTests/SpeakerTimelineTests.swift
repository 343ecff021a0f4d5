import Foundation
@testable import RTC
@testable import Recorder
import Testing

@Suite("Speaker timeline: intervals per participant, speakers.vtt, the manifest")
struct SpeakerTimelineTests {
    let base = ContinuousClock.now
    static let recordingStart = 1_700_000_000.0
    var wallClock: WallClockReference { WallClockReference(instant: base, unixSeconds: Self.recordingStart) }

    private func at(_ seconds: Double) -> ContinuousClock.Instant { base + .milliseconds(Int64((seconds * 1_000).rounded())) }

    /// Participant 0 ("alice") sounds from 1 s to 3 s; 1 ("bob") is silent; 2 ("carol", the same
    /// person as 3 after a reconnection) sends no levels; 3 ("carol" again) sounds 4–5 s.
    private func heardTimeline() -> SpeakerTimeline {
        let timeline = SpeakerTimeline(wallClock: wallClock)
        timeline.add(0, identity: "alice")
        timeline.add(1, identity: "bob")
        timeline.add(2, identity: "carol")
        timeline.add(3, identity: "carol")
        for step in 0..<300 {
            let time = Double(step) * 0.02
            timeline.hear(0, level: AudioLevel(level: time >= 1 && time < 3 ? 20 : 127, voiceActivity: false), arrival: at(time))
            timeline.hear(1, level: AudioLevel(level: 127, voiceActivity: false), arrival: at(time))
            if time >= 4 && time < 5 { timeline.hear(3, level: AudioLevel(level: 30, voiceActivity: true), arrival: at(time)) }
        }
        return timeline
    }

    @Test("Intervals are kept by identity on the recorder's wall clock; who sent no level is not heard")
    func intervals() {
        let timeline = heardTimeline()
        let snapshot = timeline.snapshot(at: at(6))
        #expect(snapshot.heard == ["alice", "bob", "carol"])
        let alice = snapshot.intervals(of: "alice")
        #expect(alice.count == 1)
        #expect(abs((alice.first?.start ?? 0) - (Self.recordingStart + 0.98)) < 0.001)
        #expect(abs((alice.first?.end ?? 0) - (Self.recordingStart + 2.98)) < 0.001)
        #expect(snapshot.intervals(of: "bob").isEmpty)
        let carol = snapshot.intervals(of: "carol")
        #expect(carol.count == 1 && abs((carol.first?.end ?? 0) - (Self.recordingStart + 4.98)) < 0.001, "\(carol)")
    }

    @Test("Speech under way is open in a snapshot, and ends when the connection does")
    func openSpeech() {
        let timeline = SpeakerTimeline(wallClock: wallClock)
        timeline.add(0, identity: "alice")
        for step in 0..<100 { timeline.hear(0, level: AudioLevel(level: 20, voiceActivity: false), arrival: at(Double(step) * 0.02)) }
        let open = timeline.snapshot(at: at(1.99)).intervals
        #expect(open.count == 1 && open[0].end == nil, "\(open)")
        timeline.remove(0, at: at(2.5))
        let ended = timeline.snapshot(at: at(3)).intervals
        #expect(ended.count == 1 && abs((ended[0].end ?? 0) - (Self.recordingStart + 1.98)) < 0.001, "\(ended)")
    }

    @Test("speakers.vtt: a cue per interval in order of start, times from the recording's start, open speech cut at the end")
    func webVTT() {
        let intervals = [
            SpeakerTimeline.Interval(participant: "bob", start: Self.recordingStart + 3_725.5, end: nil),
            SpeakerTimeline.Interval(participant: "alice", start: Self.recordingStart + 0.98, end: Self.recordingStart + 2.9804),
            SpeakerTimeline.Interval(participant: "<b>Zoë & co</b>\n-->", start: Self.recordingStart - 0.5, end: Self.recordingStart + 0.25),
        ]
        let text = SpeakerTimelineVTT.render(intervals, recordingStart: Self.recordingStart, end: Self.recordingStart + 3_726)
        #expect(text == """
            WEBVTT

            1
            00:00:00.000 --> 00:00:00.250
            &lt;b&gt;Zoë &amp; co&lt;/b&gt; --&gt;

            2
            00:00:00.980 --> 00:00:02.980
            alice

            3
            01:02:05.500 --> 01:02:06.000
            bob

            """)
        #expect(SpeakerTimelineVTT.render([], recordingStart: 0, end: 1) == "WEBVTT\n")
    }

    @Test("The manifest: each heard participant's speech, absent for those who sent no level; the file listed; old manifests still read")
    func manifest() throws {
        let snapshot = heardTimeline().snapshot(at: at(6))
        var participants = ["alice", "bob", "dave"].map { RecordingManifest.Participant(id: $0) }
        ManifestBuilder.addSpeech(snapshot, to: &participants)
        #expect(participants[0].speaking?.count == 1)
        #expect(participants[0].speaking?.first?.startedAt == ManifestTimestamp(millisecondsSince1970: 1_700_000_000_980))
        #expect(participants[0].speaking?.first?.endedAt == ManifestTimestamp(millisecondsSince1970: 1_700_000_002_980))
        #expect(participants[1].speaking == [])
        #expect(participants[2].speaking == nil)

        var manifest = RecordingManifest(recordingId: "r", room: "room", recipe: "webm",
                                         startedAt: ManifestTimestamp(millisecondsSince1970: 1_700_000_000_000), participants: participants)
        manifest.speakerTimeline = RecordingManifest.SpeakerTimelineFile(finished: true, bytes: 60)
        let data = try ManifestWriter.encode(manifest)
        #expect(try ManifestWriter.decode(data) == manifest)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((json["speakerTimeline"] as? [String: Any])?["path"] as? String == "speakers.vtt")
        let alice = try #require((json["participants"] as? [[String: Any]])?.first)
        #expect((alice["speaking"] as? [[String: Any]])?.first?["startedAt"] as? String == "2023-11-14T22:13:20.980Z")

        // A manifest written before speaker timelines has neither key.
        var old = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        old["speakerTimeline"] = nil
        old["participants"] = (old["participants"] as? [[String: Any]])?.map { participant in
            participant.filter { $0.key != "speaking" }
        }
        let decoded = try ManifestWriter.decode(try JSONSerialization.data(withJSONObject: old))
        #expect(decoded.speakerTimeline == nil && decoded.participants.allSatisfy { $0.speaking == nil })
    }

    @Test("speakers.vtt is replaced whole; a failed write says which file and step, and leaves nothing behind")
    func writeFailure() throws {
        let scratch = try ScratchDirectory()
        let writer = ManifestWriter(directory: scratch.path)
        try writer.write(Data("WEBVTT\n".utf8), toFileNamed: "speakers.vtt")
        try writer.write(Data("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nalice\n".utf8), toFileNamed: "speakers.vtt")
        #expect(try String(contentsOfFile: scratch.file("speakers.vtt"), encoding: .utf8).hasSuffix("alice\n"))
        // A directory in the file's place: the rename fails (even for root).
        try FileManager.default.removeItem(atPath: scratch.file("speakers.vtt"))
        try FileManager.default.createDirectory(atPath: scratch.file("speakers.vtt/taken"), withIntermediateDirectories: true)
        do {
            try writer.write(Data("WEBVTT\n".utf8), toFileNamed: "speakers.vtt")
            Issue.record("the write should have failed")
        } catch {
            #expect(error.operation == "rename")
            #expect(error.description.hasSuffix("the previous speakers.vtt is left as it was"), "\(error)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["speakers.vtt"])
    }
}
