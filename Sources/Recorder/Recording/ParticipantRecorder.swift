import Media
import RTC

/// Records one participant: takes their frames as the peer connection completes them, holds
/// the first ones until the tracks can be lined up, then writes segments of files.
///
/// Confined to the recording's `MediaThread`, fed from the participant's event loop through the
/// recording's `FrameQueue` (`FrameFeed`).
final class ParticipantRecorder {
    struct Waits {
        /// Frames are collected at least this long, so tracks that start a little apart all get
        /// into the first file.
        var collect: Duration = .milliseconds(1_000)
        /// How long to wait for every track's first sender report before lining tracks up by
        /// arrival instead. Chromium reports on audio only every few seconds.
        var senderReports: Duration = .milliseconds(6_000)
        /// How long to wait for a video keyframe before starting without that video.
        var keyframe: Duration = .milliseconds(6_000)

        /// For a room's mix (no video, no files of their own): audio is placed by its arrival,
        /// so the hold is only long enough to find the arrival with the least delay, and short
        /// enough that the first frames reach the mix before it has gone past their time
        /// (`RoomMix.Settings.latency`). A second audio track without reports yet is placed by
        /// arrival and moved once they come.
        static let mixed = Waits(collect: .milliseconds(250), senderReports: .milliseconds(250), keyframe: .zero)

        /// For a room's composite: as for the mix, but a second for the first video keyframe
        /// (well within the latency), so the camera is in the first segment instead of
        /// opening a second one a moment later.
        static let composited = Waits(collect: .milliseconds(250), senderReports: .milliseconds(250), keyframe: .milliseconds(1_000))

        /// What a recipe's participants wait for: a live recording's and a render's alike.
        static func forRecipe(_ recipe: Recipe) -> Waits {
            guard recipe.layout == .room else { return Waits() }
            return recipe.composite != nil ? .composited : .mixed
        }
    }

    let participant: String
    private let format: Recipe
    private let directory: String
    private let naming: SegmentNaming
    private let wallClock: WallClockReference
    private let waits: Waits
    private let numbering: SegmentNumbering
    private let gate: RecordingWriteGate
    /// Asks the sender for a keyframe on the track with this mid (a PLI through the peer connection).
    var requestKeyframe: ((String?) -> Void)?
    /// The room's file, which a recipe of layout `room` writes the participant's audio (and,
    /// for a composite, video) into (set by the media thread when it adds the recorder).
    var mix: RoomMix?

    private var clock = ParticipantClock()
    private var buffer = StartupBuffer()
    private var segment: (any ParticipantSegment)?
    /// Where the open segment's leading track (`ParticipantClock.leader`) has position 0 of its
    /// timeline on the recorder's clock: set by arrival when the segment opens, never moved.
    private var leaderOrigin: Double?
    /// The segments finished so far (their number, start on the recorder's clock and files as they ended);
    /// the segments themselves, with their writers and transcoders, are let go.
    private var finishedSegments: [(number: Int, start: Double, files: [RecordedFile], end: Double?)] = []
    /// The recorder's wall clock at the last frame taken: where the open segment ends when it is
    /// finished, for one with no files of its own to say it (a room's mix).
    private var lastFrameAt: Double?
    private(set) var errors: [String] = []
    private var closed = false
    /// Frames dropped (the media thread behind) while no open segment had their track.
    private var droppedBeforeSegment: [TrackKey: Int] = [:]
    /// The tracks of the segment finished last: the next one waits a little for them.
    private var tracksOfLastSegment: [TrackKey] = []

    init(participant: String, format: Recipe, directory: String, naming: @escaping SegmentNaming,
         wallClock: WallClockReference, numbering: SegmentNumbering = SegmentNumbering(), waits: Waits = Waits(),
         gate: RecordingWriteGate = RecordingWriteGate()) {
        self.numbering = numbering
        self.gate = gate
        self.participant = participant
        self.format = format
        self.directory = directory
        self.naming = naming
        self.wallClock = wallClock
        self.waits = waits
    }

    /// One complete frame; `bytes` is valid only during the call. `droppedBefore`: how many of
    /// the track's frames just before this one were dropped on the way (the media thread was behind).
    func receive(_ frame: MediaFrame, _ bytes: UnsafeRawBufferPointer, droppedBefore: Int = 0) {
        guard !closed, accepts(frame) else { return }
        guard gate.isOpen else {
            abandon()
            return
        }
        let key = TrackKey(mid: frame.mid, ssrc: frame.ssrc)
        if droppedBefore > 0 { noteDropped(droppedBefore, of: key) }
        let reportsMoved = clock.observe(key, timestamp: frame.timestamp, clockRate: frame.clockRate, senderTime: frame.senderTime,
                                         senderReport: frame.senderReport, arrival: wallClock.unixSeconds(at: frame.arrival))
        lastFrameAt = wallClock.unixSeconds(at: frame.arrival)
        if let segment {
            if let track = segment.trackIndex(of: key) {
                if reportsMoved { retargetTracks(of: segment) }
                if segment.write(track: track, bytes: bytes, timestamp: frame.timestamp, isKeyframe: frame.isKeyframe) {
                    requestKeyframe?(frame.mid)  // throttled by the peer connection
                }
                return
            }
            // A track the open files do not have: audio, or video from a keyframe that says its
            // size, starts a new segment that includes it; until then, video waits.
            guard frame.kind == .audio || StartupBuffer.startsVideo(frame) else {
                requestKeyframe?(frame.mid)
                return
            }
            finishSegment()
        }
        buffer.append(key, frame, bytes)
        startIfReady(now: frame.arrival, restarting: !finishedSegments.isEmpty)
    }

    /// Writes what is buffered and finishes the open files. The recorder takes no more frames.
    /// `now`: when the participant left, on the recorder's clock; the real clock's now unless a
    /// render, whose clock is the call's, says.
    func finish(now: ContinuousClock.Instant = .now) {
        guard !closed else { return }
        guard gate.isOpen else {
            abandon()
            return
        }
        if segment == nil, !buffer.isEmpty { startIfReady(now: nil, restarting: true) }
        finishSegment()
        closed = true
        mix?.leave(participant, at: wallClock.unixSeconds(at: now))
    }

    /// Every segment so far, finished ones and the open one with its files as they stand: its
    /// number, the recorder's wall clock (Unix seconds) at its time zero, and its files.
    var segmentReports: [ParticipantRecording.Segment] {
        let clock = self.clock
        let open = segment.map { [($0.number, $0.start, $0.report(timing: clock.senderReportTiming(of:)))] } ?? []
        return finishedSegments.map { number, start, files, end in
            ParticipantRecording.Segment(number: number, start: start, files: files, end: end)
        } + open.map { number, start, files in ParticipantRecording.Segment(number: number, start: start, files: files) }
    }

    /// Frames of a track dropped because the media thread was behind: counted on the open
    /// segment's track, or on the next segment's when none has it yet.
    func noteDropped(_ count: Int, of key: TrackKey) {
        if let segment, let track = segment.trackIndex(of: key) {
            segment.noteDropped(count, track: track)
        } else {
            droppedBeforeSegment[key, default: 0] += count
        }
    }

    private func accepts(_ frame: MediaFrame) -> Bool {
        frame.kind == .audio ? format.audio != .none : format.video != .none
    }

    /// A track's sender reports placed it anew next to the leader: every track but the leader
    /// is placed again (slewed, never a jump).
    private func retargetTracks(of segment: any ParticipantSegment) {
        guard let leaderOrigin else { return }
        for (index, key) in segment.trackKeys.enumerated() where key != clock.leader {
            guard let origin = clock.origin(of: key, leaderOrigin: leaderOrigin) else { continue }
            segment.retarget(track: index, origin: origin)
        }
    }

    /// Opens a segment from the buffer once its tracks can be lined up, or the waits are over
    /// (`now` nil: at the end, with whatever there is).
    private func startIfReady(now: ContinuousClock.Instant?, restarting: Bool) {
        guard let since = buffer.since else { return }
        let writable = buffer.writableTracks
        guard !writable.isEmpty else { return }
        if let now {
            let waited = now - since
            let videoWaiting = buffer.seen.keys.contains { !writable.contains($0) }
            let reportsWaiting = writable.contains { !clock.hasSenderReport($0) }
            // A new segment within the call (a track appeared) waits, for at most the collect
            // time, for the tracks the last one had: opened with the newcomer alone, it would
            // be ended by the next frame of the others, and so on, a segment a frame.
            let earlierTracksWaiting = restarting && tracksOfLastSegment.contains { !writable.contains($0) }
            if waited < (restarting ? .zero : waits.collect) { return }
            if earlierTracksWaiting && waited < waits.collect { return }
            if videoWaiting && waited < waits.keyframe { return }
            if reportsWaiting && waited < waits.senderReports { return }
        }
        openSegment(tracks: writable)
    }

    private func openSegment(tracks keys: [TrackKey]) {
        let sorted = keys.sorted(by: { ($0.mid ?? "", $0.ssrc) < ($1.mid ?? "", $1.ssrc) })
        // Audio leads: it plays continuously, so it is the track that is never moved.
        guard let leader = sorted.first(where: { buffer.firstWritableFrame(of: $0)?.frame.kind == .audio }) ?? sorted.first,
              let leaderOrigin = clock.arrivalOrigin(of: leader) else {
            buffer.removeAll()
            return
        }
        clock.lead(with: leader)
        var planned: [(RecordingSegment.PlannedTrack, firstTime: Double)] = []
        for key in sorted {
            guard let first = buffer.firstWritableFrame(of: key),
                  let origin = clock.origin(of: key, leaderOrigin: leaderOrigin) else { continue }
            switch plan(first) {
            case .success(let output):
                let start = origin + Double(first.frame.timestamp) / Double(first.frame.clockRate)
                planned.append((.init(key: key, description: output.description, sourceCodec: first.frame.codec,
                                      transcoder: output.transcoder, origin: origin), start))
            case .failure(let reason):
                note("\(key): \(reason)")
            }
        }
        guard let start = planned.map(\.firstTime).min() else {
            buffer.removeAll()
            return
        }
        let number = numbering.next(for: participant)
        let tracks = planned.map(\.0)
        do {
            let segment: any ParticipantSegment
            switch format.layout {
            case .perParticipant:
                segment = try RecordingSegment(number: number, start: start, directory: directory, container: format.container,
                                               groups: [(try name(segment: number, start: start, track: nil), tracks)])
            case .perTrack:
                segment = try RecordingSegment(number: number, start: start, directory: directory, container: format.container,
                                               groups: try tracks.map { (try name(segment: number, start: start, track: $0), [$0]) })
            case .room:
                guard let mix else { throw RoomMixMissing() }
                segment = MixSegment(number: number, start: start, participant: participant, tracks: tracks, mix: mix)
            }
            self.segment = segment
            self.leaderOrigin = leaderOrigin
            for (key, count) in droppedBeforeSegment {
                if let track = segment.trackIndex(of: key) { segment.noteDropped(count, track: track) }
            }
            droppedBeforeSegment.removeAll()
            for buffered in buffer.frames {
                guard let track = segment.trackIndex(of: buffered.key) else { continue }
                _ = buffered.bytes.withUnsafeBytes { bytes in
                    segment.write(track: track, bytes: bytes, timestamp: buffered.frame.timestamp, isKeyframe: buffered.frame.isKeyframe)
                }
            }
        } catch {
            note("cannot open segment \(number): \(error)")
        }
        buffer.removeAll()
    }

    private func name(segment: Int, start: Double, track: RecordingSegment.PlannedTrack?) throws -> String {
        try naming(SegmentFileName(participant: participant, segment: segment, kind: track.map { $0.description.kind.rawValue },
                                   track: track.map { $0.key.mid ?? "\($0.key.ssrc)" },
                                   start: start,
                                   fileExtension: format.container.fileExtension))
    }

    /// The gate shut: closes the open files as they are, under their temporary names, and takes
    /// no more frames. What is buffered is dropped, never written.
    private func abandon() {
        if let segment {
            finishedSegments.append((segment.number, segment.start, segment.abandon(timing: clock.senderReportTiming(of:)), lastFrameAt))
            self.segment = nil
            note("stopped writing: the recording may no longer write its folder")
        }
        buffer.removeAll()
        closed = true
    }

    private func finishSegment() {
        guard let segment else { return }
        tracksOfLastSegment = segment.trackKeys
        finishedSegments.append((segment.number, segment.start, segment.finish(timing: clock.senderReportTiming(of:)), lastFrameAt))
        self.segment = nil
        leaderOrigin = nil
    }

    private func note(_ error: String) {
        if !errors.contains(error) { errors.append(error) }
    }

    /// What a source track's first writable frame makes in the file, or why it cannot be written.
    private func plan(_ first: StartupBuffer.Frame) -> Result<PlannedOutput, TrackFormatError> {
        if format.layout == .room {
            // Decoded into the room's mix and composite, which the recording encodes once for everyone.
            let codec = MediaCodec(first.frame.codec)
            if codec.kind == .video {
                guard VideoTileDecoder.acceptedInputs.contains(codec) else {
                    return .failure(TrackFormatError(description: "the room's composite takes VP8, VP9 or H.264, not \(first.frame.codec)"))
                }
                return .success(PlannedOutput(description: .video(codec, width: first.frame.width ?? 0, height: first.frame.height ?? 0)))
            }
            guard codec == .opus else {
                return .failure(TrackFormatError(description: "the room's mix takes Opus audio, not \(first.frame.codec)"))
            }
            return .success(PlannedOutput(description: .audio(.opus, sampleRate: 48_000, channels: 2)))
        }
        return TrackFormatPlanner(format: format).plan(codec: first.frame.codec, width: first.frame.width,
                                                height: first.frame.height, firstFrame: first.bytes)
    }
}

/// A room-layout recipe's participant recorder made without the room's mix to write into.
private struct RoomMixMissing: Error, CustomStringConvertible {
    var description: String { "the recording has no room mix to write into" }
}
