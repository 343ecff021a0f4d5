import Media
import RTC

/// One stretch of a participant's recording: its files (one, or one per track), open from the
/// segment's start until it is finished. A participant gets a new segment when a track appears
/// that the open files did not declare, or when they come back after leaving.
///
/// Confined to the participant's event loop, like the frames it writes.
final class RecordingSegment {
    let number: Int
    /// The sender's wall clock at the files' time zero.
    let start: Double
    private(set) var tracks: [SegmentTrack]
    private var writers: [MediaFileWriter?]
    private var files: [RecordedFile]
    private let directory: String

    struct PlannedTrack {
        var key: TrackKey
        var description: TrackDescription
        var sourceCodec: SDP.SupportedCodec
        var origin: Double
    }

    /// Opens the files: `paths[i]` (relative to `directory`) holds the tracks `groups[i]` lists.
    init(number: Int, start: Double, directory: String, container: MediaContainer,
         groups: [(path: String, tracks: [PlannedTrack])]) throws(MediaWriterError) {
        self.number = number
        self.start = start
        self.directory = directory
        var tracks: [SegmentTrack] = []
        var writers: [MediaFileWriter?] = []
        var files: [RecordedFile] = []
        for (writerIndex, group) in groups.enumerated() {
            let full = directory + "/" + group.path
            let writer = try MediaFileWriter(path: full, container: container, tracks: group.tracks.map(\.description))
            writers.append(writer)
            files.append(RecordedFile(path: group.path, container: container.rawValue, tracks: [], complete: false,
                                      temporaryPath: String(writer.temporaryPath.dropFirst(directory.count + 1))))
            for (index, planned) in group.tracks.enumerated() {
                let rate = Double(planned.description.timeBase.denominator) / Double(planned.description.timeBase.numerator)
                tracks.append(SegmentTrack(key: planned.key, description: planned.description, sourceCodec: planned.sourceCodec,
                                           writer: writerIndex, index: index,
                                           tickOffset: Self.ticks(planned.origin - start, rate: rate), origin: planned.origin))
            }
        }
        self.tracks = tracks
        self.writers = writers
        self.files = files
    }

    static func ticks(_ seconds: Double, rate: Double) -> Int64 { Int64((seconds * rate).rounded()) }

    func trackIndex(of key: TrackKey) -> Int? { tracks.firstIndex { $0.key == key } }

    /// Moves a track's placement when its origin moved (a publisher restart that its sender
    /// reports place differently from the arrival-based guess).
    func reanchor(track: Int, origin: Double) {
        let rate = Double(tracks[track].description.timeBase.denominator) / Double(tracks[track].description.timeBase.numerator)
        tracks[track].origin = origin
        tracks[track].tickOffset = Self.ticks(origin - start, rate: rate)
    }

    /// Writes one frame of `tracks[track]`. A write failure (a full disk) ends that file, which
    /// keeps what it had; the error lands in the manifest, and the other files carry on.
    func write(track: Int, bytes: UnsafeRawBufferPointer, timestamp: Int64, isKeyframe: Bool) {
        let placed = tracks[track]
        guard let writer = writers[placed.writer] else { return }
        let pts = timestamp + placed.tickOffset
        guard pts >= 0 else { return }  // before the segment's start: a straggler from its buffer
        do {
            try writer.write(track: placed.index, data: bytes, pts: pts, isKeyframe: isKeyframe)
        } catch {
            files[placed.writer].error = "\(error)"
            writers[placed.writer] = nil
        }
    }

    /// The files as they stand (nothing is finished by asking).
    var report: [RecordedFile] {
        files.indices.map { index in
            var file = files[index]
            if let writer = writers[index] { file.tracks = trackReports(writer: index, statistics: writer.statistics) }
            return file
        }
    }

    /// Finishes every file: index written, renamed to its final name.
    func finish() -> [RecordedFile] {
        for index in writers.indices {
            guard let writer = writers[index] else { continue }
            files[index].tracks = trackReports(writer: index, statistics: writer.statistics)
            do {
                try writer.finish()
                files[index].complete = true
            } catch {
                files[index].error = "\(error)"
            }
            writers[index] = nil
        }
        return files
    }

    private func trackReports(writer: Int, statistics: [TrackStatistics]) -> [RecordedTrack] {
        tracks.filter { $0.writer == writer }.map { track in
            let stats = statistics[track.index]
            let base = track.description.timeBase
            func seconds(_ pts: Int64?) -> Double? {
                pts.map { Double($0) * Double(base.numerator) / Double(base.denominator) }
            }
            let codec = track.description.codec
            return RecordedTrack(
                mid: track.key.mid, kind: codec.kind.rawValue, codec: codec.rawValue,
                sourceCodec: track.sourceCodec.rawValue == codec.rawValue ? nil : track.sourceCodec.rawValue,
                width: codec.kind == .video ? track.description.width : nil,
                height: codec.kind == .video ? track.description.height : nil,
                start: seconds(stats.firstTimestamp), end: seconds(stats.lastTimestamp),
                frames: stats.framesWritten, bytes: stats.bytesWritten,
                framesSkippedBeforeKeyframe: stats.framesSkippedBeforeKeyframe,
                framesDroppedOutOfOrder: stats.framesDroppedOutOfOrder, timestampsAdjusted: stats.timestampsAdjusted)
        }
    }
}
