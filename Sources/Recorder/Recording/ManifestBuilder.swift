import Foundation
import Media
import RTC

/// Turns what the room session reports of each connection into the manifest's participants: one
/// per identity (the name given at join, else the connection's id), with how each connection
/// went, the segments of all their connections in order, each file as it is on disk, its tracks
/// with their wall-clock times and the receive statistics of the streams that fed them, and the
/// streams no file holds.
enum ManifestBuilder {
    /// `inRoomFile`: the kinds of stream the room's file holds (a room recipe's mix, and its
    /// composite), so they are recorded though no file of the participant's holds them.
    static func participants(from reports: [ParticipantReport], directory: String,
                             inRoomFile: Set<MediaKind> = []) -> (participants: [RecordingManifest.Participant], errors: [String]) {
        var participants: [RecordingManifest.Participant] = []
        var errors: [String] = []
        for report in reports {
            let identity = report.name ?? report.participant
            let index: Int
            if let existing = participants.firstIndex(where: { $0.id == identity }) {
                index = existing
            } else {
                index = participants.count
                participants.append(RecordingManifest.Participant(id: identity, name: report.name))
            }
            participants[index].connections.append(connection(report))
            if let failure = report.failure { errors.append("\(identity): connection \(report.participant) failed: \(failure)") }
            var recordedStreams: Set<UInt32> = []
            if let recording = report.recording {
                errors += recording.errors.map { "\(identity): \($0)" }
                for segment in recording.segments {
                    let files = segment.files.map { file($0, segmentStart: segment.start, streams: report.streams, directory: directory) }
                    for recorded in segment.files {
                        if let error = recorded.error { errors.append("\(identity): \(recorded.path): \(error)") }
                    }
                    recordedStreams.formUnion(files.flatMap { $0.tracks.flatMap { $0.streams.map(\.ssrc) } })
                    let ends = files.flatMap(\.tracks).compactMap(\.lastFrameAt)
                    let finished = !files.isEmpty && files.allSatisfy(\.finished)
                    // A segment with no files of its own (its audio in the room's mix) ends at its last frame.
                    let leftAt = finished ? ends.max() : files.isEmpty ? segment.end.map(timestamp) : nil
                    participants[index].segments.append(RecordingManifest.Segment(
                        number: segment.number, joinedAt: timestamp(segment.start ?? 0),
                        leftAt: leftAt, failure: report.failure, files: files))
                }
            }
            participants[index].unrecordedStreams += report.streams.filter { stream in
                !recordedStreams.contains(stream.ssrc) && !inRoomFile.contains { $0.rawValue == stream.kind }
            }
        }
        for index in participants.indices { participants[index].segments.sort { $0.number < $1.number } }
        // In the order they joined: the manifest reads as the meeting went.
        participants.sort {
            ($0.segments.first?.joinedAt.millisecondsSince1970 ?? .max, $0.id) < ($1.segments.first?.joinedAt.millisecondsSince1970 ?? .max, $1.id)
        }
        return (participants, errors)
    }

    /// Each participant's speech, for those any audio level arrived from (see `Participant.speaking`).
    static func addSpeech(_ speakers: SpeakerTimeline.Snapshot, to participants: inout [RecordingManifest.Participant]) {
        for index in participants.indices where speakers.heard.contains(participants[index].id) {
            participants[index].speaking = speakers.intervals(of: participants[index].id).map { interval in
                RecordingManifest.SpeakingInterval(startedAt: timestamp(interval.start), endedAt: interval.end.map(timestamp))
            }
        }
    }

    /// The room's mix, its file's times from the recording's start (`start`, Unix seconds).
    static func mix(_ report: RoomMixReport, start: Double, directory: String) -> RecordingManifest.Mix? {
        guard let recorded = report.file else { return nil }
        return RecordingManifest.Mix(
            file: file(recorded, segmentStart: start, streams: [], directory: directory),
            participantTracks: report.participantTracksHeard, lateSeconds: (report.lateSeconds * 1_000).rounded() / 1_000,
            beyondHorizonSeconds: (report.beyondHorizonSeconds * 1_000).rounded() / 1_000,
            limitedSeconds: (report.limitedSeconds * 1_000).rounded() / 1_000, clippedSamples: report.clippedSamples,
            packetsUndecodable: report.packetsUndecodable, framesDroppedWriterBehind: report.framesDroppedWriterBehind)
    }

    /// The room's composite, in the mix's file (nil: the recipe makes none, or no media yet).
    static func composite(_ report: RoomMixReport, start: Double, directory: String) -> RecordingManifest.Composite? {
        guard let recorded = report.file, let statistics = report.composite else { return nil }
        let video = recorded.tracks.first { $0.kind == .video }
        return RecordingManifest.Composite(
            file: file(recorded, segmentStart: start, streams: [], directory: directory), framesWritten: video?.frames ?? 0,
            framesDropped: statistics.framesDropped, framesUndecodable: statistics.framesUndecodable,
            participantVideoTracks: statistics.videoTracks, participantVideoCodecs: statistics.videoCodecs,
            layoutChanges: statistics.layoutChanges, errors: report.errors)
    }

    private static func connection(_ report: ParticipantReport) -> RecordingManifest.Connection {
        var connection = RecordingManifest.Connection(
            id: report.participant, connected: report.connected, iceState: report.iceState, srtpProfile: report.srtpProfile,
            selectedPair: report.selectedPair, candidatePairs: report.candidatePairs,
            authenticationFailures: report.authenticationFailures, replays: report.replays,
            limitsReached: report.limitsReached.isEmpty ? nil : report.limitsReached,
            uncheckedSourceDrops: report.uncheckedSourceDrops == 0 ? nil : report.uncheckedSourceDrops, failure: report.failure)
        connection.capture = report.capture
        return connection
    }

    private static func file(_ recorded: RecordedFile, segmentStart: Double?, streams: [InboundStreamStats],
                             directory: String) -> RecordingManifest.File {
        let tracks = recorded.tracks.map { track -> RecordingManifest.Track in
            let first = segmentStart.flatMap { start in track.start.map { timestamp(start + $0) } }
            let last = segmentStart.flatMap { start in track.end.map { timestamp(start + $0) } }
            return RecordingManifest.Track(
                id: track.mid ?? track.kind.rawValue, kind: track.kind, codec: track.codec, sourceCodec: track.sourceCodec,
                firstFrameAt: first, lastFrameAt: last, durationSeconds: max(0, (track.end ?? 0) - (track.start ?? 0)),
                frames: track.frames, bytes: track.bytes, width: track.width, height: track.height,
                framesSkippedBeforeKeyframe: track.framesSkippedBeforeKeyframe,
                timestampsAdjusted: track.timestampsAdjusted, framesDroppedWriterBehind: track.framesDroppedWriterBehind,
                senderReports: track.senderReports,
                streams: streams.filter { $0.kind == track.kind.rawValue && $0.mid == track.mid })
        }
        let onDisk = (directory as NSString).appendingPathComponent(recorded.complete ? recorded.path : recorded.temporaryPath)
        let size = RecordedFile.bytesOnDisk(at: onDisk).map { Int($0) } ?? 0
        return RecordingManifest.File(path: recorded.path, container: recorded.container, finished: recorded.complete,
                                      temporaryPath: recorded.complete ? nil : recorded.temporaryPath, error: recorded.error,
                                      bytes: size, tracks: tracks)
    }

    private static func timestamp(_ unixSeconds: Double) -> ManifestTimestamp {
        ManifestTimestamp(millisecondsSince1970: Int64((unixSeconds * 1_000).rounded()))
    }
}
