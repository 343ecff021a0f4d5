#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one file — WebM, fragmented MP4 or Ogg — from already-encoded, timed frames, through
/// libavformat. Made with every track declared; fed with `write`; closed with `finish`, which
/// writes the index and renames the file from `temporaryPath` to `path`.
///
/// The file is made under an opening name (`.NAME.opening`) and takes `temporaryPath` once it
/// holds media beyond its header, so a `.partial` file always plays: a writer killed while the
/// file held only its header (which ffmpeg does not open: "End of file"), or nothing at all (a
/// write of the header blocked by a busy disk), leaves an `.opening` file, with no media in it,
/// which `removeAbandonedOpenings` clears. A writer that fails or is abandoned before then
/// removes it itself.
///
/// A file still under `temporaryPath` was not finished: its process was killed, the writer was
/// released without `finish`, or a write failed (the writer then cuts it back to its last whole
/// cluster/fragment/page and leaves it). Either way it plays to within one or two
/// `Options.flushInterval`s of the last frame written; it lacks only the index (WebM Cues, the
/// MP4 fragment index), which `ffmpeg -i F -c copy OUT` rebuilds.
///
/// Not thread-safe, and not Sendable: one owner writes all of a file's tracks.
public final class MediaFileWriter {
    public let path: String
    public let temporaryPath: String
    public let container: MediaContainer
    public let tracks: [TrackDescription]
    public private(set) var statistics: [TrackStatistics]

    private enum State {
        case open(Muxer)
        case failed(MediaWriterError)
        case finished
    }

    private var state: State
    private var timelines: [MuxerTrackTimeline]
    /// Per track, the video frame waiting for its duration (see `HeldVideoFrame`).
    private let held: [HeldVideoFrame]
    /// Per track, the timestamp of the last frame handed to the muxer (muxer ticks).
    private var lastSent: [Int64?]
    private let muxerTimeBases: [TimeBase]
    private let flushInterval: Int64
    /// Per track, the newest timestamp handed to the muxer, in microseconds (nil: none yet),
    /// and the newest of all.
    private var newestMicroseconds: [Int64?]
    private var newestOverall = Int64.min
    private var nextStallCheck = Int64.min
    /// The last two file positions after a successful call: unit boundaries to cut back to.
    private var boundaries: (older: Int64, newer: Int64) = (0, 0)
    /// Where the file is made; it keeps this name until it holds media.
    private let openingPath: String
    /// Where the header ends while the file holds nothing more and so is still under its
    /// opening name; nil once it has its temporary name.
    private var headerOnlyUntil: Int64?
    /// The name the file has now.
    private var currentPath: String { headerOnlyUntil == nil ? temporaryPath : openingPath }

    /// A track that resumes after more than this (a frozen camera, DTX, loss) may have been quiet
    /// across an MP4 fragment boundary; see `Muxer.markDiscontinuity`. The muxer only guesses a
    /// track's last duration when the track was quiet for about a flush interval, so this is
    /// well below that; marking a shorter hole (Opus DTX sends every 400 ms) costs nothing: the
    /// track's next fragment merely starts at its real timestamp.
    private static let holeMilliseconds: Int64 = 250

    /// The longest a file's last video frame is shown (see `HeldVideoFrame`).
    static let longestLastVideoFrame: Duration = .milliseconds(100)

    /// The name a file has while it is written: `.NAME.partial` in the same directory.
    public static func temporaryPath(for path: String) -> String { PartialFile.temporaryPath(for: path) }

    /// The name a file has before it holds media: `.NAME.opening` in the same directory.
    public static func openingPath(for path: String) -> String { PartialFile.openingPath(for: path) }

    /// Removes the opening files that writers killed before their file held media left in
    /// `folder` and the folders below it; returns their paths relative to `folder`.
    @discardableResult
    public static func removeAbandonedOpenings(in folder: String) -> [String] {
        PartialFile.removeAbandonedOpenings(in: folder)
    }

    /// The size of the file at `path` as it stands on disk (nil when there is none).
    public static func bytesOnDisk(at path: String) -> Int64? { PartialFile.size(path) }

    /// Creates the file under its temporary name and writes the header. Refuses to replace an
    /// existing output or temporary file: a recorder's earlier output is never overwritten.
    public init(path: String, container: MediaContainer, tracks: [TrackDescription],
                options: Options = Options()) throws(MediaWriterError) {
        guard !tracks.isEmpty else {
            throw MediaWriterError(operation: "declare tracks", path: path, reason: .invalidTrack("no tracks declared"))
        }
        let temporaryPath = PartialFile.temporaryPath(for: path)
        for existing in [path, temporaryPath] where PartialFile.exists(existing) {
            throw MediaWriterError(operation: "create", path: path, reason: .fileExists(existing))
        }
        var declared: [(TrackDescription, [UInt8]?)] = []
        for track in tracks {
            declared.append((track, try track.validatedExtradata(for: container, path: path)))
        }
        let interval = max(options.flushInterval.microseconds, 1_000)
        let openingPath = PartialFile.openingPath(for: path)
        // One left by a killed writer holds no media. Removed rather than opened over: should
        // its writer still be alive (two recorders given one folder), each keeps its own file.
        PartialFile.remove(openingPath)
        let muxer = try Muxer.open(container, tracks: declared, file: openingPath, path: path,
                                   options: MuxerOptions.dictionary(for: container, flushIntervalMicroseconds: interval))
        self.path = path
        self.temporaryPath = temporaryPath
        self.openingPath = openingPath
        self.container = container
        self.tracks = tracks
        statistics = Array(repeating: TrackStatistics(), count: tracks.count)
        muxerTimeBases = muxer.timeBases
        flushInterval = interval
        newestMicroseconds = Array(repeating: nil, count: tracks.count)
        timelines = tracks.map { MuxerTrackTimeline(kind: $0.kind) }
        held = muxer.timeBases.map { base in
            HeldVideoFrame(longestLastFrame: TimeBase.microseconds.convert(Self.longestLastVideoFrame.microseconds, to: base))
        }
        lastSent = Array(repeating: nil, count: tracks.count)
        state = .open(muxer)
        boundaries = (muxer.position, muxer.position)
        headerOnlyUntil = muxer.position
    }

    /// Writes one encoded frame of `track` (its index in `tracks`), timestamped `pts` in the
    /// track's time base. `duration` (same unit) is optional: Opus durations are read from the
    /// packet, AAC frames are 1024 samples. A video frame lasts until the next (it is held back
    /// until then, see `HeldVideoFrame`), whatever `duration` says. Empty frames are ignored; frames
    /// that cannot be placed (see `MuxerTrackTimeline`) are counted in `statistics`, not thrown. A
    /// libav failure (a full disk) is thrown, leaves the file cut back to its last whole unit,
    /// and ends the writer.
    public func write(track: Int, data: UnsafeRawBufferPointer, pts: Int64, isKeyframe: Bool,
                      duration: Int64? = nil) throws(MediaWriterError) {
        let muxer = try openMuxer()
        guard tracks.indices.contains(track) else {
            throw MediaWriterError(operation: "write", path: path, reason: .unknownTrack(track))
        }
        guard !data.isEmpty else { return }
        let description = tracks[track]
        let base = muxerTimeBases[track]
        let muxerPTS = description.timeBase.convert(pts, to: base)
        let placement = timelines[track].place(pts: muxerPTS, isKeyframe: isKeyframe, statistics: &statistics[track])
        guard case .write(let placed) = placement else { return }
        guard description.kind == .audio, let samples = duration ?? description.defaultDuration(of: data) else {
            // A video frame: the one held before it now knows its duration.
            timelines[track].commit(placed)
            if held[track].isHolding { try writeHeld(track, duration: held[track].duration(untilNextAt: placed), muxer) }
            held[track].hold(data, placed: placed, callerPTS: pts, isKeyframe: isKeyframe)
            return
        }
        let muxerDuration = description.timeBase.convert(samples, to: base)
        try send(track, .lent(data), placed: placed, callerPTS: pts, duration: muxerDuration, isKeyframe: isKeyframe, muxer)
        timelines[track].commit(placed, duration: muxerDuration)
    }

    /// Where `track`'s frames written so far end, in its time base: the last audio frame's
    /// samples, or the held video frame as if it were the last (nil: nothing written yet).
    public func end(ofTrack track: Int) -> Int64? {
        guard tracks.indices.contains(track) else { return nil }
        let base = muxerTimeBases[track]
        let end: Int64?
        if held[track].isHolding {
            end = held[track].placed + held[track].lastFrameDuration
        } else {
            end = timelines[track].end
        }
        return end.map { base.convert($0, to: tracks[track].timeBase) }
    }

    private func writeHeld(_ track: Int, duration: Int64, _ muxer: Muxer) throws(MediaWriterError) {
        let frame = held[track]
        guard let payload = frame.take() else {
            throw fail(muxer, MediaWriterError(operation: "av_buffer_alloc", path: path, code: -ENOMEM))
        }
        try send(track, payload, placed: frame.placed, callerPTS: frame.callerPTS, duration: duration,
                 isKeyframe: frame.isKeyframe, muxer)
    }

    /// Hands a placed frame to the muxer and counts it.
    private func send(_ track: Int, _ payload: MuxerPayload, placed: Int64, callerPTS: Int64, duration: Int64,
                      isKeyframe: Bool, _ muxer: Muxer) throws(MediaWriterError) {
        let base = muxerTimeBases[track]
        do throws(MediaWriterError) {
            if container == .mp4, let previous = lastSent[track],
               base.convert(placed - previous, to: .milliseconds) > Self.holeMilliseconds {
                try muxer.markDiscontinuity()
            }
            try muxer.write(stream: track, payload: payload, pts: placed, duration: duration, isKeyframe: isKeyframe)
            try forceOutIfATrackIsQuiet(muxer, track: track, at: base.convert(placed, to: .microseconds))
            if let headerEnd = headerOnlyUntil {
                // WebM: the muxer writes a cluster only once it spans the flush interval; the
                // first is closed as soon as it holds a frame, so the file plays from then on.
                // Nothing happens until the interleaver has handed the muxer a frame.
                if container == .webm { try muxer.flushOpenUnit() }
                if muxer.position > headerEnd { try takeTemporaryName() }
            }
        } catch {
            throw fail(muxer, error)
        }
        lastSent[track] = placed
        statistics[track].framesWritten += 1
        statistics[track].bytesWritten += payload.count
        if statistics[track].firstTimestamp == nil { statistics[track].firstTimestamp = callerPTS }
        statistics[track].lastTimestamp = callerPTS
        recordBoundary(muxer.position)
    }

    public func write(track: Int, data: [UInt8], pts: Int64, isKeyframe: Bool,
                      duration: Int64? = nil) throws(MediaWriterError) {
        // Array.withUnsafeBytes rethrows untyped errors; carry the typed one out in a Result.
        try data.withUnsafeBytes { bytes in
            Result { () throws(MediaWriterError) in
                try write(track: track, data: bytes, pts: pts, isKeyframe: isKeyframe, duration: duration)
            }
        }.get()
    }

    /// Writes what is still queued and the index, closes the file and gives it its final name.
    /// Returns that name. After a failed write this throws that failure again, and the file
    /// keeps its temporary name.
    @discardableResult
    public func finish() throws(MediaWriterError) -> String {
        let muxer = try openMuxer()
        for track in tracks.indices where held[track].isHolding {
            try writeHeld(track, duration: held[track].lastFrameDuration, muxer)
        }
        do throws(MediaWriterError) {
            try muxer.writeTrailer()
            try muxer.close()
        } catch {
            throw fail(muxer, error)
        }
        state = .finished
        let status = PartialFile.commit(currentPath, as: path)
        guard status == 0 else {
            let error = MediaWriterError(operation: "rename", path: path, code: -status)
            state = .failed(error)
            throw error
        }
        return path
    }

    /// Closes the file as it is: nothing more is written (not the held video frames, not the
    /// index) and it keeps its temporary name, playable like a killed writer's. For a writer that
    /// must stop at once because the folder may no longer be its own.
    public func abandon() {
        guard case .open(let muxer) = state else { return }
        // flush_packets leaves nothing buffered between writes: closing adds no bytes.
        try? muxer.close()
        if headerOnlyUntil != nil { PartialFile.remove(openingPath) }
        state = .failed(MediaWriterError(operation: "write", path: path, reason: .abandoned))
    }

    private func openMuxer() throws(MediaWriterError) -> Muxer {
        switch state {
        case .open(let muxer): return muxer
        case .failed(let error): throw error
        case .finished: throw MediaWriterError(operation: "write", path: path, reason: .finished)
        }
    }

    /// Once per interval of media time: if some track has written nothing for longer than the
    /// interval (a camera turned off, audio in DTX), push out what the interleaver is holding
    /// back for it, so a killed writer does not lose the other tracks' last seconds.
    private func forceOutIfATrackIsQuiet(_ muxer: Muxer, track: Int, at microseconds: Int64) throws(MediaWriterError) {
        newestMicroseconds[track] = max(newestMicroseconds[track] ?? .min, microseconds)
        newestOverall = max(newestOverall, microseconds)
        guard tracks.count > 1, newestOverall >= nextStallCheck else { return }
        let firstCheck = nextStallCheck == .min
        nextStallCheck = newestOverall + flushInterval
        guard !firstCheck else { return }
        let quiet = newestMicroseconds.contains { ($0 ?? .min) < newestOverall - flushInterval }
        if quiet { try muxer.flushInterleavingQueue() }
    }

    /// The file holds media: from now on it plays, and a killed writer leaves it as `.partial`.
    private func takeTemporaryName() throws(MediaWriterError) {
        let status = PartialFile.move(openingPath, to: temporaryPath)
        guard status == 0 else { throw MediaWriterError(operation: "rename", path: path, code: -status) }
        headerOnlyUntil = nil
    }

    private func recordBoundary(_ position: Int64) {
        if position != boundaries.newer { boundaries = (boundaries.newer, position) }
    }

    /// Ends the writer after a libav failure, leaving a playable prefix under the temporary name
    /// (a file that held no media yet is removed). A nearly full disk can take part of a unit (a
    /// short write) before failing outright; the file is cut back to the last boundary that is
    /// wholly on disk.
    private func fail(_ muxer: Muxer, _ error: MediaWriterError) -> MediaWriterError {
        try? muxer.close()
        if headerOnlyUntil != nil {
            PartialFile.remove(openingPath)
        } else if let size = PartialFile.size(temporaryPath) {
            let boundary = boundaries.newer <= size ? boundaries.newer : boundaries.older
            if boundary <= size { PartialFile.cut(temporaryPath, to: boundary) }
        }
        state = .failed(error)
        return error
    }
}
