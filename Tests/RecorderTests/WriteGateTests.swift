import Foundation
import Media
import MediaTestSupport
@testable import RTC
@testable import Recorder
import Testing

/// A recording whose write gate shuts (its worker can no longer be sure it holds the job) writes
/// nothing more: the open files are closed as they are, under their temporary names, and the
/// bytes written before stay and decode.
@Suite("A shut write gate stops a participant's writing at once")
struct WriteGateTests {
    /// Feeds `seconds` of audio (20 ms packets) and 30 fps video from `start`, arriving from `base`.
    private func feed(_ recorder: ParticipantRecorder, from start: Double, seconds: Double, base: ContinuousClock.Instant,
                      video: TestPatternVideoEncoder, audio: ToneAudioEncoder) throws {
        var events: [(time: Double, kind: MediaKind)] = stride(from: start, to: start + seconds, by: 0.02).map { ($0, .audio) }
        events += stride(from: start, to: start + seconds, by: 1.0 / 30).map { ($0, .video) }
        for event in events.sorted(by: { $0.time < $1.time }) {
            let arrival = base + .seconds(event.time)
            if event.kind == .audio {
                let frame = MediaFrame(mid: "0", ssrc: 1, codec: .opus, clockRate: 48_000, timestamp: Int64((event.time * 48_000).rounded()),
                                       rtpTimestamp: 0, senderTime: nil, senderReport: 0, arrival: arrival, isKeyframe: true,
                                       width: nil, height: nil)
                try audio.encodeNextFrame().data.withUnsafeBytes { recorder.receive(frame, $0) }
            } else {
                let encoded = try video.encodeNextFrame(forceKeyframe: event.time == start)
                let frame = MediaFrame(mid: "1", ssrc: 2, codec: .vp8, clockRate: 90_000, timestamp: Int64((event.time * 90_000).rounded()),
                                       rtpTimestamp: 0, senderTime: nil, senderReport: 0, arrival: arrival, isKeyframe: encoded.isKeyframe,
                                       width: encoded.isKeyframe ? 160 : nil, height: encoded.isKeyframe ? 120 : nil)
                encoded.data.withUnsafeBytes { recorder.receive(frame, $0) }
            }
        }
    }

    private func size(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    @Test("Shut mid-recording: nothing more is written, the file keeps its temporary name and decodes")
    func shutMidRecording() throws {
        let scratch = try ScratchDirectory()
        let gate = RecordingWriteGate()
        let base = ContinuousClock.now
        let recorder = ParticipantRecorder(participant: "fenced", format: try RecipeCatalog.named("webm"), directory: scratch.path,
                                           naming: { "\($0.participant).\($0.fileExtension)" },
                                           wallClock: WallClockReference(instant: base, unixSeconds: 1_700_000_000),
                                           waits: .init(collect: .milliseconds(100), senderReports: .zero, keyframe: .seconds(1)),
                                           gate: gate)
        let video = try TestPatternVideoEncoder(configuration: .init(width: 160, height: 120, framesPerSecond: 30, bitrateKbps: 150,
                                                                     keyframeInterval: 30))
        let audio = try ToneAudioEncoder(configuration: .init())
        try feed(recorder, from: 0, seconds: 3, base: base, video: video, audio: audio)
        let temporary = scratch.file(".fenced.webm.partial")
        let written = try #require(size(temporary))
        #expect(written > 0)

        gate.close()
        try feed(recorder, from: 3, seconds: 2, base: base, video: video, audio: audio)
        recorder.finish()

        #expect(size(temporary) == written, "not a byte after the gate shut")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("fenced.webm")), "never renamed to its final name")
        #expect(recorder.errors.contains { $0.contains("stopped writing") }, "\(recorder.errors)")
        let files = recorder.segmentReports.flatMap(\.files)
        #expect(files.count == 1 && files.allSatisfy { !$0.complete })
        #expect(try ExternalTool.decodeErrors(temporary) == "")
    }

    @Test("A deadline that has passed shuts the gate for good; extending it before then keeps it open")
    func deadline() async throws {
        // No assertion here depends on how promptly a loaded machine wakes a task: sleeping
        // longer only moves "now" further past a deadline.
        let extended = RecordingWriteGate(openUntil: .now + .milliseconds(100))
        extended.extend(to: .now + .seconds(60))
        extended.extend(to: .now)  // an earlier deadline never shortens the gate
        try await Task.sleep(for: .milliseconds(300))
        #expect(extended.isOpen)

        let lapsed = RecordingWriteGate(openUntil: .now + .milliseconds(100))
        try await Task.sleep(for: .milliseconds(300))
        #expect(!lapsed.isOpen)
        lapsed.extend(to: .now + .seconds(60))
        #expect(!lapsed.isOpen, "once seen shut, a late extension does not reopen it: its writers closed their files")

        let unfenced = RecordingWriteGate()
        #expect(unfenced.isOpen)
        unfenced.close()
        unfenced.extend(to: .now + .seconds(60))
        #expect(!unfenced.isOpen, "a shut gate stays shut")
    }

    @Test("A gate already past its deadline lets nothing be written: no file is made")
    func pastDeadline() throws {
        let scratch = try ScratchDirectory()
        let base = ContinuousClock.now
        let recorder = ParticipantRecorder(participant: "late", format: try RecipeCatalog.named("webm"), directory: scratch.path,
                                           naming: { "\($0.participant).\($0.fileExtension)" },
                                           wallClock: WallClockReference(instant: base, unixSeconds: 1_700_000_000),
                                           gate: RecordingWriteGate(openUntil: base))
        let video = try TestPatternVideoEncoder(configuration: .init(width: 160, height: 120, framesPerSecond: 30, bitrateKbps: 150,
                                                                     keyframeInterval: 30))
        try feed(recorder, from: 0, seconds: 2, base: base, video: video, audio: try ToneAudioEncoder(configuration: .init()))
        recorder.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }
}
