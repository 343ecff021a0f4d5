import Foundation
import Media
@testable import RTC
@testable import Recorder
import Testing

/// When a participant's segments open: a keyframe that does not say its size cannot start a
/// video track (an H.264 IDR whose SPS was lost), and a segment opened for a track that appeared
/// late waits for the tracks already flowing, instead of a segment a frame.
@Suite("Segments open with every track that can be written")
struct SegmentStartTests {
    /// Records 4 s of audio (a packet every 20 ms from 0 s) and video (30 fps from `videoFrom`),
    /// whose keyframes come at `keyframes` (seconds), the first `sizeless` of them saying no size.
    private func record(videoFrom: Double, keyframes: [Double], sizeless: Int,
                        waits: ParticipantRecorder.Waits) throws -> [ParticipantRecording.Segment] {
        let scratch = try ScratchDirectory()
        let base = ContinuousClock.now
        let recorder = ParticipantRecorder(participant: "late", format: try RecipeCatalog.named("webm"), directory: scratch.path,
                                           naming: { "\($0.participant)-\($0.segment).\($0.fileExtension)" },
                                           wallClock: WallClockReference(instant: base, unixSeconds: 1_700_000_000), waits: waits)
        let video = try TestPatternVideoEncoder(configuration: .init(width: 160, height: 120, framesPerSecond: 30, bitrateKbps: 150,
                                                                     keyframeInterval: 3_600))
        let audio = try ToneAudioEncoder(configuration: .init())
        var events: [(time: Double, kind: MediaKind)] = (0..<200).map { (Double($0) * 0.02, .audio) }
        events += stride(from: videoFrom, to: 4, by: 1.0 / 30).map { ($0, .video) }
        var keyframesSent = 0
        for event in events.sorted(by: { $0.time < $1.time }) {
            let arrival = base + .seconds(event.time)
            if event.kind == .audio {
                let frame = MediaFrame(mid: "0", ssrc: 1, codec: .opus, clockRate: 48_000, timestamp: Int64((event.time * 48_000).rounded()),
                                       rtpTimestamp: 0, senderTime: nil, senderReport: 0, arrival: arrival, isKeyframe: true,
                                       width: nil, height: nil)
                try audio.encodeNextFrame().data.withUnsafeBytes { recorder.receive(frame, $0) }
            } else {
                let isKeyframe = keyframes.contains { abs($0 - event.time) < 0.5 / 30 } || (keyframesSent == 0 && event.time == videoFrom)
                let encoded = try video.encodeNextFrame(forceKeyframe: isKeyframe)
                if encoded.isKeyframe { keyframesSent += 1 }
                let saysSize = encoded.isKeyframe && keyframesSent > sizeless
                let frame = MediaFrame(mid: "1", ssrc: 2, codec: .vp8, clockRate: 90_000, timestamp: Int64((event.time * 90_000).rounded()),
                                       rtpTimestamp: 0, senderTime: nil, senderReport: 0, arrival: arrival, isKeyframe: encoded.isKeyframe,
                                       width: saysSize ? 160 : nil, height: saysSize ? 120 : nil)
                encoded.data.withUnsafeBytes { recorder.receive(frame, $0) }
            }
        }
        recorder.finish()
        #expect(recorder.errors.isEmpty, "\(recorder.errors)")
        return recorder.segmentReports
    }

    private func kinds(_ segments: [ParticipantRecording.Segment]) -> [[MediaKind]] {
        segments.map { segment in segment.files.flatMap { $0.tracks.map(\.kind) }.sorted { $0.rawValue < $1.rawValue } }
    }

    @Test("A first keyframe without its size is passed over: the segment opens at the next keyframe, with audio and video")
    func sizelessKeyframe() throws {
        let segments = try record(videoFrom: 0.05, keyframes: [0.05, 1.5], sizeless: 1,
                                  waits: .init(collect: .milliseconds(100), senderReports: .zero, keyframe: .seconds(3)))
        #expect(kinds(segments) == [[.audio, .video]])
    }

    @Test("Video that appears after the segment opened starts one more segment, with the audio too: not a segment a frame")
    func lateVideo() throws {
        let segments = try record(videoFrom: 2, keyframes: [2, 3], sizeless: 1,
                                  waits: .init(collect: .milliseconds(100), senderReports: .zero, keyframe: .milliseconds(500)))
        #expect(kinds(segments) == [[.audio], [.audio, .video]])
    }
}
