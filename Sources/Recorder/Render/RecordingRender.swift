import Capture
import Foundation
import Media
import RTC

/// `tapedeck render`: a recording made again, with any recipe, from the raw captures in its
/// folder (docs/capture.md). Every connection's capture is replayed through the live pipeline
/// (`CaptureReplay`), all of them interleaved by arrival on one timeline as the call happened, into
/// `out`, which then holds the files, `speakers.vtt` and a manifest like a live recording's. A
/// recipe of layout `room` hears everyone at once, so its mix is the live one's. A folder without
/// a capture is made again from the files its manifest lists (`RecordedFilesReplay`): what they
/// hold, no more.
public enum RecordingRender {
    /// One input (a capture, or a participant's segment of files) rendered to its end, for progress.
    public struct Step: Sendable {
        /// The capture's or the files' names.
        public var input: String
        public var replayed: Int
        /// What `replayed` counts: "packets" or "frames".
        public var unit: String
        /// Of the call: from the input's first packet or frame to its last.
        public var seconds: Double
        /// Of rendering, from the render's start to this capture's end.
        public var elapsed: Duration
        public var files: [String]
        public var stoppedEarly: String?
    }

    /// What a render reports as it goes.
    public enum Progress: Sendable {
        /// Every second or so: how far into the call the render is (seconds from its first
        /// packet), after `elapsed` of rendering.
        case position(seconds: Double, elapsed: Duration)
        /// An input replayed to its end.
        case finished(Step)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// How often (of the call's time) every connection's timers and the room's mix are brought
    /// up to date while the others' packets are replayed: live, their timers fire on their own.
    static let tickNanoseconds: Int64 = 10_000_000

    /// Renders `source`'s captures (else its files) with `recipe` into `out`; returns the
    /// manifest, also written to `out/manifest.json`. Throws `Failure` when there is nothing to render.
    /// - Parameters:
    ///   - gate: like a live recording's: once shut, nothing more is written.
    ///   - recordingId: the manifest's (a render job's id); a new one when nil.
    ///   - isCancelled: asked as the captures are replayed; when it says so, the render stops
    ///     there and finishes the files it has.
    public static func run(source: String, recipe: Recipe, out: String, gate: RecordingWriteGate = RecordingWriteGate(),
                           recordingId: String? = nil, isCancelled: @escaping () -> Bool = { false },
                           progress: (Progress) -> Void = { _ in }) throws -> RecordingManifest {
        let clock = ContinuousClock()
        let started = clock.now
        let sourceManifest = try? ManifestWriter(directory: source).read()
        let (replays, unreadable) = try RenderInputs.open(source, manifest: sourceManifest)
        var errors = unreadable
        guard let origin = replays.compactMap(\.due).min() else {
            throw Failure(description: "nothing in \(source) holds a packet or frame to render: \(errors.joined(separator: "; "))")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let room = sourceManifest?.room ?? URL(fileURLWithPath: source).lastPathComponent
        // The recording's start, as the live one had it (before anyone's first packet), so a
        // room's mix and speakers.vtt keep its times.
        let start = min(sourceManifest.map { Double($0.startedAt.millisecondsSince1970) / 1e3 } ?? .infinity, Double(origin) / 1e9)
        let fileNames = RecordingFileNames(template: recipe.fileName, room: room, directory: out)
        let naming: SegmentNaming = { try fileNames.name($0) }
        let numbering = SegmentNumbering()
        let timeline = ReplayTimeline(originNanoseconds: origin)
        let mix = RoomMix.forRecipe(recipe, start: start, directory: out, names: fileNames, gate: gate)
        let speakers = SpeakerTimeline(wallClock: timeline.wallClock)
        // A composite's speaker layout follows the active speaker, as live.
        speakers.activeSpeakerChanged = { participant, time in mix?.feature(participant, at: time) }
        var recordings: [ParticipantRecording?] = Array(repeating: nil, count: replays.count)
        var tick = origin
        var replayed = 0
        var end = origin
        var reported = started
        while let index = earliest(replays), let due = replays[index].due {
            replayed += 1
            if replayed % 1_024 == 0, isCancelled() {
                for replay in replays where replay.due != nil { replay.interrupt() }
                break
            }
            while tick + tickNanoseconds <= due {
                tick += tickNanoseconds
                let now = timeline.instant(unixNanoseconds: tick)
                for replay in replays { replay.advance(to: now) }
                mix?.advance(to: Double(tick) / 1e9)
            }
            let replay = replays[index]
            replay.replayNext(timeline: timeline, makeRecorder: { participant in
                let recorder = ParticipantRecorder(participant: participant, format: recipe, directory: out, naming: naming,
                                                   wallClock: timeline.wallClock, numbering: numbering,
                                                   waits: .forRecipe(recipe), gate: gate)
                recorder.mix = mix
                speakers.add(index, identity: participant)
                return recorder
            }, frames: { recorder, frame, bytes in
                if let level = frame.audioLevel { speakers.hear(index, level: level, arrival: frame.arrival) }
                recorder.receive(frame, bytes)
            })
            end = max(end, due)
            if replayed % 4_096 == 0, clock.now - reported >= .seconds(1) {
                reported = clock.now
                progress(.position(seconds: Double(due - origin) / 1e9, elapsed: reported - started))
            }
            if replay.due == nil {
                recordings[index] = replay.finish(timeline: timeline)
                speakers.remove(index, at: timeline.instant(unixNanoseconds: due))
                progress(.finished(step(replay, recordings[index], elapsed: clock.now - started)))
            }
        }
        for (index, replay) in replays.enumerated() where recordings[index] == nil {
            recordings[index] = replay.finish(timeline: timeline)  // interrupted
            if let last = replay.lastNanoseconds { speakers.remove(index, at: timeline.instant(unixNanoseconds: last)) }
            progress(.finished(step(replay, recordings[index], elapsed: clock.now - started)))
        }
        let endSeconds = Double(end) / 1e9
        mix?.finish(at: endSeconds)

        var reports: [ParticipantReport] = []
        for (index, replay) in replays.enumerated() {
            let (report, problems) = replay.report(recordings[index])
            reports.append(report)
            errors += problems
        }
        let mixReport = mix?.report
        let built = ManifestBuilder.participants(from: reports, directory: out, inRoomFile: recipe.kindsInRoomFile)
        var participants = built.participants
        let snapshot = speakers.snapshot(at: timeline.instant(unixNanoseconds: end))
        ManifestBuilder.addSpeech(snapshot, to: &participants)
        let wroteFiles = reports.contains { report in
            report.recording?.segments.contains { $0.files.contains { $0.complete && $0.tracks.contains { $0.frames > 0 } } } ?? false
        } || mixReport?.file?.complete == true
        var manifest = RecordingManifest(
            recordingId: recordingId ?? UUID().uuidString.lowercased(), room: room, recipe: recipe.name, state: wroteFiles ? .finished : .failed,
            startedAt: ManifestTimestamp(Date(timeIntervalSince1970: start)),
            endedAt: ManifestTimestamp(Date(timeIntervalSince1970: endSeconds)),
            participants: participants, errors: errors + built.errors + (mixReport?.errors.map { "mix: \($0)" } ?? []),
            mix: mixReport.flatMap { ManifestBuilder.mix($0, start: start, directory: out) },
            composite: mixReport.flatMap { ManifestBuilder.composite($0, start: start, directory: out) })
        if gate.isOpen {
            let writer = ManifestWriter(directory: out)
            manifest.speakerTimeline = writer.writeSpeakerTimeline(snapshot, recordingStart: start, end: endSeconds, finished: true)
            try writer.write(manifest)
        }
        return manifest
    }

    /// The input whose next packet or frame arrived first (the first of them on a tie), nil once
    /// all are replayed.
    private static func earliest(_ inputs: [any RenderInput]) -> Int? {
        var best: (index: Int, due: Int64)?
        for (index, input) in inputs.enumerated() {
            guard let due = input.due else { continue }
            if best == nil || due < best!.due { best = (index, due) }
        }
        return best?.index
    }

    private static func step(_ input: any RenderInput, _ recording: ParticipantRecording?, elapsed: Duration) -> Step {
        Step(input: input.label, replayed: input.replayed, unit: input.unit, seconds: input.seconds, elapsed: elapsed,
             files: recording?.segments.flatMap { $0.files.map(\.path) } ?? [], stoppedEarly: input.stoppedEarly)
    }

    /// The captures in a recording's folder: finished ones, and those a killed recorder left
    /// under their temporary names.
    public static func captureFiles(in folder: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        return names.filter { name in
            name.hasSuffix(".pcapng") && !name.hasPrefix(".") || name.hasPrefix(".") && name.hasSuffix(".pcapng.partial")
        }.sorted()
    }
}
