import Foundation
import Media
import RTC
@testable import Recorder
import Testing

/// The manifest a recording writes, from what its session reports of each participant.
@Suite("Manifest from participant reports")
struct ManifestBuilderTests {
    private func report(_ id: String, name: String?, connected: Bool = true, failure: String? = nil,
                        streams: [InboundStreamStats] = [], recording: ParticipantRecording?) -> ParticipantReport {
        ParticipantReport(participant: id, name: name, connected: connected, iceState: connected ? "connected" : "failed", srtpProfile: nil,
                          selectedPair: nil, localCandidates: [], remoteCandidates: [], candidatePairs: [], streams: streams,
                          rtcpPackets: 0, authenticationFailures: 0, replays: 0, failure: failure, recording: recording)
    }

    @Test("a connection's limits reached and unchecked-source drops are in the manifest, and absent when there were none")
    func limitsAndUncheckedSources() throws {
        var hostile = report("h1", name: "mallory", recording: nil)
        hostile.limitsReached = ["candidates": 9_953, "tracks": 984, "ssrcs": 12]
        hostile.uncheckedSourceDrops = 7
        let (participants, _) = ManifestBuilder.participants(from: [hostile, report("q1", name: "quiet", recording: nil)],
                                                            directory: "/nonexistent")
        let connections = participants.flatMap(\.connections)
        #expect(connections.map(\.id) == ["h1", "q1"])
        #expect(connections[0].limitsReached == ["candidates": 9_953, "tracks": 984, "ssrcs": 12])
        #expect(connections[0].uncheckedSourceDrops == 7)
        #expect(connections[1].limitsReached == nil && connections[1].uncheckedSourceDrops == nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let quiet = try #require(String(data: try encoder.encode(connections[1]), encoding: .utf8))
        #expect(!quiet.contains("limitsReached") && !quiet.contains("uncheckedSourceDrops"))
        let loud = try #require(String(data: try encoder.encode(connections[0]), encoding: .utf8))
        #expect(loud.contains(#""limitsReached":{"candidates":9953,"ssrcs":12,"tracks":984}"#))
        #expect(loud.contains(#""uncheckedSourceDrops":7"#))
    }

    private func track(_ mid: String, _ codec: MediaCodec, start: Double, end: Double) -> RecordedTrack {
        RecordedTrack(mid: mid, kind: codec.kind, codec: codec, sourceCodec: nil, width: codec.kind == .video ? 640 : nil,
                      height: codec.kind == .video ? 480 : nil, start: start, end: end, frames: 10, bytes: 1_000,
                      framesSkippedBeforeKeyframe: 2, timestampsAdjusted: 1, framesDroppedWriterBehind: 0, senderReports: nil)
    }

    @Test("Connections under one name are one participant with segments 1, 2; times are wall clock; streams go to their track")
    func mapping() throws {
        let scratch = try ScratchDirectory()
        try Data(count: 4_096).write(to: URL(fileURLWithPath: scratch.file("alice.webm")))
        try Data(count: 123).write(to: URL(fileURLWithPath: scratch.file(".alice-2.webm.partial")))
        let audio = InboundStreamStats(ssrc: 1, mid: "0", kind: "audio", codec: "opus", payloadType: 111)
        let video = InboundStreamStats(ssrc: 2, mid: "1", kind: "video", codec: "VP8", payloadType: 96)
        let bobAudio = InboundStreamStats(ssrc: 3, mid: "0", kind: "audio", codec: "opus", payloadType: 111)
        let first = ParticipantRecording(segments: [
            .init(number: 1, start: 1_000.5, files: [
                RecordedFile(path: "alice.webm", container: .webm,
                             tracks: [track("0", .opus, start: 0.02, end: 9.98), track("1", .vp8, start: 0.1, end: 9.9)],
                             complete: true, temporaryPath: ".alice.webm.partial", error: nil),
            ]),
        ], errors: ["video waited 10 s for a keyframe"])
        let second = ParticipantRecording(segments: [
            .init(number: 2, start: 1_020, files: [
                RecordedFile(path: "alice-2.webm", container: .webm, tracks: [track("0", .opus, start: 0, end: 1)],
                             complete: false, temporaryPath: ".alice-2.webm.partial", error: "No space left on device"),
            ]),
        ], errors: [])
        let reports = [
            report("a1", name: "alice", streams: [audio, video], recording: first),
            report("b1", name: nil, connected: false, failure: "ICE failed", streams: [bobAudio], recording: nil),
            report("a2", name: "alice", streams: [audio], recording: second),
        ]
        let (participants, errors) = ManifestBuilder.participants(from: reports, directory: scratch.path)
        let manifest = RecordingManifest(recordingId: "r1", room: "standup", recipe: "webm",
                                         startedAt: ManifestTimestamp(millisecondsSince1970: 999_000), participants: participants)
        #expect(errors == ["alice: video waited 10 s for a keyframe", "b1: connection b1 failed: ICE failed",
                           "alice: alice-2.webm: No space left on device"])
        #expect(manifest.participants.map(\.id) == ["alice", "b1"])
        #expect(manifest.participants[0].segments.flatMap { $0.files.map(\.path) } == ["alice.webm", "alice-2.webm"])
        let alice = manifest.participants[0]
        #expect(alice.name == "alice" && alice.connections.map(\.id) == ["a1", "a2"])
        #expect(alice.segments.map(\.number) == [1, 2])
        #expect(alice.segments.map(\.joinedAt) == [ManifestTimestamp(millisecondsSince1970: 1_000_500),
                                                   ManifestTimestamp(millisecondsSince1970: 1_020_000)])
        #expect(alice.segments.map(\.leftAt) == [ManifestTimestamp(millisecondsSince1970: 1_010_480), nil])

        let finished = alice.segments[0].files[0]
        #expect(finished.finished && finished.temporaryPath == nil && finished.bytes == 4_096)
        let audioTrack = finished.tracks[0]
        #expect(audioTrack.firstFrameAt == ManifestTimestamp(millisecondsSince1970: 1_000_520))
        #expect(audioTrack.lastFrameAt == ManifestTimestamp(millisecondsSince1970: 1_010_480))
        #expect(abs(audioTrack.durationSeconds - 9.96) < 1e-9)
        #expect(audioTrack.streams == [audio] && finished.tracks[1].streams == [video])
        #expect(finished.tracks[1].width == 640 && finished.tracks[1].framesSkippedBeforeKeyframe == 2)

        let unfinished = alice.segments[1].files[0]
        #expect(!unfinished.finished && unfinished.temporaryPath == ".alice-2.webm.partial" && unfinished.bytes == 123)
        #expect(unfinished.error == "No space left on device")

        #expect(alice.unrecordedStreams.isEmpty)

        let bob = manifest.participants[1]
        #expect(bob.name == nil && bob.segments.isEmpty)
        #expect(bob.connections.map(\.connected) == [false] && bob.connections[0].failure == "ICE failed")
        #expect(bob.unrecordedStreams == [bobAudio])
    }

    @Test("A room's file holds the kinds its recipe puts in it: those streams are recorded, the others are not")
    func roomFileStreams() {
        let audio = InboundStreamStats(ssrc: 1, mid: "0", kind: "audio", codec: "opus", payloadType: 111)
        let video = InboundStreamStats(ssrc: 2, mid: "1", kind: "video", codec: "VP8", payloadType: 96)
        let recording = ParticipantRecording(segments: [.init(number: 1, start: 1_000, files: [])], errors: [])
        func unrecorded(_ kinds: Set<MediaKind>) -> [InboundStreamStats] {
            ManifestBuilder.participants(from: [report("p1", name: "p", streams: [audio, video], recording: recording)],
                                         directory: "/nonexistent", inRoomFile: kinds).participants[0].unrecordedStreams
        }
        #expect(unrecorded([.audio]) == [video])  // audio-mix
        #expect(unrecorded([.audio, .video]).isEmpty)  // composite
        #expect(unrecorded([]) == [audio, video])
    }

    @Test("A room recipe's segment, with no files of its own, left when its last frame came; one still open has not left")
    func mixedSegmentsLeave() {
        let left = ParticipantRecording(segments: [.init(number: 1, start: 1_000, files: [], end: 1_012.25)], errors: [])
        let open = ParticipantRecording(segments: [.init(number: 1, start: 1_001, files: [])], errors: [])
        let (participants, _) = ManifestBuilder.participants(
            from: [report("g1", name: "guest", recording: left), report("h1", name: "host", recording: open)],
            directory: "/nonexistent", inRoomFile: [.audio])
        #expect(participants.map(\.id) == ["guest", "host"])
        #expect(participants[0].segments.map(\.leftAt) == [ManifestTimestamp(millisecondsSince1970: 1_012_250)])
        #expect(participants[1].segments.map(\.leftAt) == [nil])
    }
}
