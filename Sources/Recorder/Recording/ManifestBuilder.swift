import Foundation
import Media
import RTC

/// Turns what the room session reports of each connection into the manifest's participants: one
/// per identity (the name given at join, else the connection's id), with the segments of all
/// their connections in order, each file's tracks with their wall-clock times and the receive
/// statistics of the streams that fed them.
enum ManifestBuilder {
    static func participants(from reports: [ParticipantReport]) -> (participants: [RecordingManifest.Participant], errors: [String]) {
        var order: [String] = []
        var segments: [String: [RecordingManifest.Segment]] = [:]
        var errors: [String] = []
        for report in reports {
            let identity = report.name ?? report.participant
            if segments[identity] == nil {
                order.append(identity)
                segments[identity] = []
            }
            if let failure = report.failure { errors.append("\(identity): connection \(report.participant) failed: \(failure)") }
            guard let recording = report.recording else { continue }
            errors += recording.errors.map { "\(identity): \($0)" }
            for segment in recording.segments {
                let files = segment.files.map { file($0, segmentStart: segment.start, streams: report.streams) }
                for recorded in segment.files {
                    if let error = recorded.error { errors.append("\(identity): \(recorded.path): \(error)") }
                }
                let ends = files.flatMap(\.tracks).compactMap(\.lastFrameAt)
                let finished = !files.isEmpty && files.allSatisfy(\.finished)
                segments[identity, default: []].append(RecordingManifest.Segment(
                    number: segment.number, joinedAt: timestamp(segment.start ?? 0),
                    leftAt: finished ? ends.max() : nil, failure: report.failure, files: files))
            }
        }
        // In the order they joined: the manifest reads as the meeting went.
        let participants = order.map { identity in
            RecordingManifest.Participant(id: identity, segments: (segments[identity] ?? []).sorted { $0.number < $1.number })
        }.sorted { ($0.segments.first?.joinedAt.millisecondsSince1970 ?? .max, $0.id) < ($1.segments.first?.joinedAt.millisecondsSince1970 ?? .max, $1.id) }
        return (participants, errors)
    }

    private static func file(_ recorded: RecordedFile, segmentStart: Double?, streams: [InboundStreamStats]) -> RecordingManifest.File {
        let tracks = recorded.tracks.map { track -> RecordingManifest.Track in
            let first = segmentStart.flatMap { start in track.start.map { timestamp(start + $0) } }
            let last = segmentStart.flatMap { start in track.end.map { timestamp(start + $0) } }
            return RecordingManifest.Track(
                id: track.mid ?? track.kind, kind: MediaKind(rawValue: track.kind) ?? .audio,
                codec: MediaCodec(rawValue: track.codec) ?? .opus,
                sourceCodec: track.sourceCodec.flatMap(MediaCodec.init(rawValue:)),
                firstFrameAt: first, lastFrameAt: last,
                durationSeconds: max(0, (track.end ?? 0) - (track.start ?? 0)),
                frames: track.frames, bytes: track.bytes, width: track.width, height: track.height,
                streams: streams.filter { $0.mid == track.mid })
        }
        return RecordingManifest.File(path: recorded.path, container: MediaContainer(rawValue: recorded.container) ?? .webm,
                                      finished: recorded.complete, bytes: tracks.reduce(0) { $0 + $1.bytes }, tracks: tracks)
    }

    private static func timestamp(_ unixSeconds: Double) -> ManifestTimestamp {
        ManifestTimestamp(millisecondsSince1970: Int64((unixSeconds * 1_000).rounded()))
    }
}
