import Foundation
import Media
import Logging
import RTC
import Signaling

/// Records one room: joins it like `RoomSession`, writes every participant's media to files in
/// the recording's directory, keeps `manifest.json` there up to date, and ends after a
/// duration, when the room stays empty, or when the calling task is cancelled (SIGINT/SIGTERM).
public actor Recording {
    private let configuration: RecordingConfiguration
    private let logger: Logger
    private let session: RoomSession
    /// Where the participants' frames are written: off the I/O event loops.
    private let media: MediaThread
    /// Where the connections' raw captures are written (nil: the recipe keeps none).
    private let capture: CaptureThread?
    private let started: Double
    private var errors: [String] = []
    private let manifestWriter: ManifestWriter

    public init(configuration: RecordingConfiguration, logger: Logger = Logger(label: "tapedeck.record")) throws {
        self.configuration = configuration
        self.logger = logger
        try FileManager.default.createDirectory(atPath: configuration.directory, withIntermediateDirectories: true)
        let reference = WallClockReference(instant: .now, unixSeconds: Date().timeIntervalSince1970)
        started = reference.unixSeconds
        manifestWriter = ManifestWriter(directory: configuration.directory)
        let format = configuration.recipe
        let directory = configuration.directory
        let fileNames = RecordingFileNames(template: configuration.recipe.fileName, room: configuration.roomName,
                                           directory: directory)
        let naming: SegmentNaming = { try fileNames.name($0) }
        let numbering = SegmentNumbering()
        let gate = configuration.writeGate
        media = MediaThread(name: "tapedeck-media", wallClock: reference,
                            mix: RoomMix.forRecipe(format, start: reference.unixSeconds, directory: directory, names: fileNames, gate: gate))
        capture = configuration.recipe.capture
            ? CaptureThread(name: "tapedeck-pcap", directory: directory, names: fileNames, wallClock: reference, gate: gate) : nil
        let waits = ParticipantRecorder.Waits.forRecipe(format)
        var recorders = ParticipantRecorders(thread: media) { participant in
            ParticipantRecorder(participant: participant, format: format, directory: directory, naming: naming, wallClock: reference,
                                numbering: numbering, waits: waits, gate: gate)
        }
        recorders.capture = capture
        session = try RoomSession(configuration: configuration.room, logger: logger, recorders: recorders)
    }

    /// Records until `duration` has passed (nil: no limit), the room stays empty for
    /// `stopWhenEmpty`, or the task is cancelled; returns the final manifest, also written to
    /// `manifest.json`.
    public func run(for duration: Duration?, progress: (@Sendable (RecordingProgress) -> Void)? = nil) async throws -> RecordingManifest {
        let session = self.session
        let clock = ContinuousClock()
        let start = clock.now
        let outcome: Result<[ParticipantReport], any Error> = await withTaskGroup(of: Result<[ParticipantReport], any Error>?.self) { group in
            // The session ends at the end of the duration, on a signaling error, or when cancelled
            // (it then finishes its files and still reports); the watcher ends when the room has
            // stayed empty long enough.
            group.addTask {
                do {
                    return .success(try await session.run(for: duration))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                await self.watch(progress: progress)
                return nil
            }
            if configuration.recipe.layout == .room {
                // The mix is written as time passes, whether or not anyone sends; a composite's
                // frames are made at their rate.
                let tick: Duration = configuration.recipe.composite.map { .seconds(1) / $0.framesPerSecond } ?? .milliseconds(250)
                group.addTask { [media] in
                    while (try? await Task.sleep(for: tick)) != nil { media.tickMix() }
                    return nil
                }
            }
            var outcome: Result<[ParticipantReport], any Error>?
            while let next = await group.next() {
                if let next {
                    outcome = next
                    group.cancelAll()
                } else if outcome == nil {
                    group.cancelAll()  // the room stayed empty: end the session, and wait for its reports
                }
            }
            return outcome ?? .failure(CancellationError())
        }
        switch outcome {
        case .success(let reports):
            // Every participant's files are finished: the mix is all there, and then the media
            // thread has nothing left to do.
            let mix = await media.finishMix()
            await media.stop()
            await capture?.stop()
            if let duration, let note = configuration.durationLimitNote, clock.now - start >= duration {
                logger.info("\(note)")
                errors.append(note)
            }
            let wroteFiles = reports.contains { report in
                report.recording?.segments.contains { $0.files.contains { $0.complete && $0.tracks.contains { $0.frames > 0 } } } ?? false
            } || (mix.map { $0.file?.complete == true && $0.participantTracksHeard > 0 } ?? false)
            return writeManifest(participants: reports, speakers: await media.speakerTimeline(), mix: mix,
                                 state: wroteFiles ? .finished : .failed,
                                 ended: Date().timeIntervalSince1970, limitNotes: await session.limitNotes)
        case .failure(let error):
            errors.append("signaling: \(error)")
            let participants = await session.snapshot()
            let mix = await media.finishMix()
            await media.stop()
            await capture?.stop()
            let manifest = writeManifest(participants: participants, speakers: await media.speakerTimeline(), mix: mix, state: .failed,
                                         ended: Date().timeIntervalSince1970, limitNotes: await session.limitNotes)
            if let timedOut = error as? RoomJoinTimeout {
                // Nothing started, so nothing "ended early": the timeout says all there is.
                var failure = RecordingError(description: timedOut.description, manifest: manifest)
                failure.isJoinTimeout = true
                throw failure
            }
            var failure = RecordingError(description: "the recording ended early: \(error)", manifest: manifest)
            if case .joinRefused? = error as? SignalingClientError { failure.isRefusedJoin = true }
            throw failure
        }
    }

    /// Rewrites the manifest every `manifestInterval` and reports progress; returns once the
    /// room has been empty for `stopWhenEmpty`, or when cancelled.
    private func watch(progress: (@Sendable (RecordingProgress) -> Void)?) async {
        let clock = ContinuousClock()
        let start = clock.now
        var emptySince: ContinuousClock.Instant? = start
        var previousBytes = 0
        var previousTime = start
        while true {
            do {
                try await Task.sleep(for: configuration.manifestInterval)
            } catch {
                return
            }
            let snapshot = await session.snapshot()
            let manifest = writeManifest(participants: snapshot, speakers: await media.speakerTimeline(), mix: await media.mixReport(),
                                         state: .recording, ended: nil, limitNotes: await session.limitNotes)
            let present = await session.participantCount
            let now = clock.now
            if present > 0 { emptySince = nil } else if emptySince == nil { emptySince = now }
            if let limit = configuration.stopWhenEmpty, let emptySince, now - emptySince >= limit {
                logger.info("the room stayed empty; ending the recording", metadata: ["seconds": "\(limit)"])
                return
            }
            guard let progress else { continue }
            let streams = snapshot.flatMap(\.streams)
            let bytes = streams.reduce(0) { $0 + $1.bytesReceived }
            let seconds = max((now - previousTime).seconds, 0.001)
            progress(RecordingProgress(elapsed: now - start, joined: await session.hasJoined, participants: present,
                                       bitrateKbps: Double(bytes - previousBytes) * 8 / 1_000 / seconds,
                                       packetsLost: streams.reduce(0) { $0 + $1.packetsLost },
                                       packetsReceived: streams.reduce(0) { $0 + $1.packetsReceived },
                                       files: snapshot.reduce(manifest.mix == nil ? 0 : 1) {
                                           $0 + ($1.recording?.segments.reduce(0) { $0 + $1.files.count } ?? 0)
                                       },
                                       manifest: manifest))
            previousBytes = bytes
            previousTime = now
        }
    }

    /// Writes `speakers.vtt`, then the manifest that lists it (each atomically).
    @discardableResult
    private func writeManifest(participants reports: [ParticipantReport], speakers: SpeakerTimeline.Snapshot, mix: RoomMixReport?,
                               state: RecordingManifest.State, ended: Double?, limitNotes: [String]) -> RecordingManifest {
        let built = ManifestBuilder.participants(from: reports, directory: configuration.directory,
                                                 inRoomFile: configuration.recipe.kindsInRoomFile)
        var participants = built.participants
        ManifestBuilder.addSpeech(speakers, to: &participants)
        var manifest = RecordingManifest(
            recordingId: configuration.recordingId, room: configuration.roomName, recipe: configuration.recipe.name,
            state: state, startedAt: ManifestTimestamp(Date(timeIntervalSince1970: started)),
            endedAt: ended.map { ManifestTimestamp(Date(timeIntervalSince1970: $0)) },
            participants: participants, errors: errors + built.errors + (mix?.errors.map { "mix: \($0)" } ?? []) + limitNotes,
            mix: mix.flatMap { ManifestBuilder.mix($0, start: started, directory: configuration.directory) },
            composite: mix.flatMap { ManifestBuilder.composite($0, start: started, directory: configuration.directory) })
        guard configuration.writeGate.isOpen else {
            // The folder may be another worker's now: the manifest on disk stays as it was last written.
            logger.warning("not writing manifest.json: the recording may no longer write its folder")
            return manifest
        }
        let speakerTimeline = manifestWriter.writeSpeakerTimeline(speakers, recordingStart: started,
                                                                  end: ended ?? Date().timeIntervalSince1970, finished: state != .recording)
        if let error = speakerTimeline.error { logger.error("cannot write speakers.vtt", metadata: ["error": "\(error)"]) }
        manifest.speakerTimeline = speakerTimeline
        do {
            try manifestWriter.write(manifest)
        } catch {
            logger.error("cannot write manifest.json", metadata: ["error": "\(error)"])
        }
        return manifest
    }
}

/// A recording that could not carry on; the manifest says what was written before.
public struct RecordingError: Error, CustomStringConvertible {
    public var description: String
    public var manifest: RecordingManifest
    /// The signaling server refused the bot (a wrong or expired token, a full room): trying
    /// again with the same request cannot succeed.
    public var isRefusedJoin = false
    /// The bot could not get into the room within its join timeout (`RoomJoinTimeout`): the
    /// server is unreachable or silent, as a mistyped URL is; waiting longer is not the fix.
    public var isJoinTimeout = false

    init(description: String, manifest: RecordingManifest) {
        self.description = description
        self.manifest = manifest
    }
}
