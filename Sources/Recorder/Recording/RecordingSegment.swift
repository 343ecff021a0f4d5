import Media
import RTC

/// One stretch of a participant's recording: its files (one, or one per track), open from the
/// segment's start until it is finished. A participant gets a new segment when a track appears
/// that the open files did not declare, or when they come back after leaving.
///
/// Confined to the participant's event loop, like the frames it writes.
final class RecordingSegment {
    let number: Int
    /// The recorder's wall clock (Unix seconds) at the files' time zero.
    let start: Double
    private(set) var tracks: [SegmentTrack]
    private var writers: [MediaFileWriter?]
    private var files: [RecordedFile]
    private let directory: String

    struct PlannedTrack {
        var key: TrackKey
        var description: TrackDescription
        var sourceCodec: SDP.SupportedCodec
        var transcoder: TrackTranscoder?
        /// The recorder's wall clock at position 0 of the track's continuous timeline.
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
            files.append(RecordedFile(path: group.path, container: container, tracks: [], complete: false,
                                      temporaryPath: String(writer.temporaryPath.dropFirst(directory.count + 1))))
            for (index, planned) in group.tracks.enumerated() {
                let rate = SegmentTrack.ticksPerSecond(planned.description)
                let offset = Self.ticks(planned.origin - start, rate: rate)
                tracks.append(SegmentTrack(key: planned.key, description: planned.description, sourceCodec: planned.sourceCodec,
                                           transcoder: planned.transcoder, writer: writerIndex, index: index,
                                           tickOffset: offset, targetTickOffset: offset))
            }
        }
        self.tracks = tracks
        self.writers = writers
        self.files = files
    }

    static func ticks(_ seconds: Double, rate: Double) -> Int64 { Int64((seconds * rate).rounded()) }

    func trackIndex(of key: TrackKey) -> Int? { tracks.firstIndex { $0.key == key } }

    /// Moves a track's placement to `origin` (the recorder's wall clock at position 0 of its
    /// timeline): its sender reports placed it anew. The move is slewed over the next frames
    /// (`SegmentTrack.slew`), never a jump.
    func retarget(track: Int, origin: Double) {
        tracks[track].targetTickOffset = Self.ticks(origin - start, rate: tracks[track].ticksPerSecond)
    }

    func noteDropped(_ count: Int, track: Int) {
        tracks[track].framesDroppedWriterBehind += count
    }

    /// Writes one frame of `tracks[track]`, through its transcoder if it has one. A write failure
    /// (a full disk) ends that file, which keeps what it had; a transcoder failure ends that
    /// track; either lands in the manifest, and the rest carries on. Returns whether the track's
    /// transcoder waits for a keyframe (the sender should be asked for one).
    @discardableResult
    func write(track: Int, bytes: UnsafeRawBufferPointer, timestamp: Int64, isKeyframe: Bool) -> Bool {
        tracks[track].slew(to: timestamp)
        // A frame placed before the files' start (a track slewed back at its very beginning)
        // is written at the start: the writer keeps the order, and nothing is dropped for time.
        return write(track: track, bytes: bytes, pts: max(0, timestamp + tracks[track].tickOffset), isKeyframe: isKeyframe)
    }

    /// Writes one frame of `tracks[track]` at `pts`, its place on the file's timeline.
    private func write(track: Int, bytes: UnsafeRawBufferPointer, pts: Int64, isKeyframe: Bool) -> Bool {
        let placed = tracks[track]
        guard writers[placed.writer] != nil, !placed.transcodingFailed else { return false }
        noteAudio(of: track, bytes: bytes, pts: pts)
        guard let transcoder = placed.transcoder else {
            write(writer: placed.writer, track: placed.index, bytes: bytes, pts: pts, isKeyframe: isKeyframe, duration: nil)
            return false
        }
        do {
            for frame in try transcoder.transcode(bytes, pts: pts, isKeyframe: isKeyframe) {
                frame.data.withUnsafeBytes { encoded in
                    write(writer: placed.writer, track: placed.index, bytes: encoded, pts: frame.pts, isKeyframe: frame.isKeyframe,
                          duration: frame.duration)
                }
            }
        } catch {
            endTranscoding(track, error: error)
        }
        return transcoder.needsKeyframe
    }

    /// Notes where an audio track's Opus reaches, and starts it with silence when its first
    /// packet comes after the segment's start: a sender in DTX sends a packet only about every
    /// 400 ms while it is silent, so its first one can come that long after the video's first
    /// keyframe. Both tracks then start together, as they end together (`padAudioToVideoEnd`).
    private func noteAudio(of track: Int, bytes: UnsafeRawBufferPointer, pts: Int64) {
        guard tracks[track].description.kind == .audio else { return }
        let rate = tracks[track].ticksPerSecond
        // Opus (the only audio received) counts in 48 kHz samples, whatever the file's ticks.
        let duration = Self.ticks(Double(OpusPacketDuration.samples(bytes) ?? 0) / 48_000, rate: rate)
        let isFirst = tracks[track].audioEnd == nil
        tracks[track].audioEnd = max(tracks[track].audioEnd ?? .min, pts + duration)
        guard isFirst else { return }
        let packet = silencePacketTicks(track)
        // A transcoder fills the time between two packets with silence itself: one is enough.
        let written = tracks[track].transcoder == nil ? pts / packet : min(pts / packet, 1)
        for number in 0..<written { writeSilentPacket(track: track, at: number * packet) }
    }

    /// A sender in DTX sends audio only about every 400 ms while it is silent, so a segment's
    /// audio can stop that long before its video does. Each audio track that ends before the
    /// segment's video (the latest of its video tracks, in whichever file, each ending where
    /// its writer shows its last frame until) is carried on with silent Opus packets to there,
    /// so that the files' tracks end together. Gaps inside a track are left as they are: the
    /// packets after them keep them in time.
    private func padAudioToVideoEnd() {
        let videoEnd = tracks.filter { $0.description.kind == .video }.compactMap { track -> Double? in
            guard let writer = writers[track.writer], let end = writer.end(ofTrack: track.index) else { return nil }
            return Double(end) / track.ticksPerSecond
        }.max()
        guard let videoEnd else { return }
        for track in tracks.indices where tracks[track].description.kind == .audio {
            guard let audioEnd = tracks[track].audioEnd else { continue }
            let target = Self.ticks(videoEnd, rate: tracks[track].ticksPerSecond)
            let packet = silencePacketTicks(track)
            guard target > audioEnd else { continue }
            if tracks[track].transcoder != nil {
                // One packet ending exactly at the video's end: the transcoder fills the time
                // before it and keeps only the part of it that is new.
                writeSilentPacket(track: track, at: target - packet)
            } else {
                // Whole packets after the last, as many as bring its end nearest the video's.
                for number in 0..<((target - audioEnd + packet / 2) / packet) {
                    writeSilentPacket(track: track, at: audioEnd + number * packet)
                }
            }
        }
    }

    private func silencePacketTicks(_ track: Int) -> Int64 {
        Self.ticks(Double(OpusSilence.samples) / 48_000, rate: tracks[track].ticksPerSecond)
    }

    private func writeSilentPacket(track: Int, at pts: Int64) {
        OpusSilence.packet.withUnsafeBytes { silence in
            _ = write(track: track, bytes: silence, pts: pts, isKeyframe: true)
        }
    }

    private func write(writer index: Int, track: Int, bytes: UnsafeRawBufferPointer, pts: Int64, isKeyframe: Bool, duration: Int64?) {
        guard let writer = writers[index] else { return }
        do {
            try writer.write(track: track, data: bytes, pts: pts, isKeyframe: isKeyframe, duration: duration)
        } catch {
            files[index].error = "\(error)"
            writers[index] = nil
        }
    }

    private func endTranscoding(_ track: Int, error: TranscoderError) {
        let writer = tracks[track].writer
        files[writer].error = (files[writer].error.map { $0 + "; " } ?? "") + "\(tracks[track].key): \(error)"
        tracks[track].transcoder = nil
        tracks[track].transcodingFailed = true
    }

    /// The files as they stand (nothing is finished by asking); `timing` tells how each track's
    /// sender reports were weighed.
    func report(timing: (TrackKey) -> SenderReportTiming?) -> [RecordedFile] {
        files.indices.map { index in
            var file = files[index]
            if let writer = writers[index] { file.tracks = trackReports(writer: index, statistics: writer.statistics, timing: timing) }
            return file
        }
    }

    /// Finishes every file: the video transcoders' last frames are written, audio is carried
    /// on to the video's end, what the audio transcoders still hold is written, then the index,
    /// and each file is renamed to its final name.
    func finish(timing: (TrackKey) -> SenderReportTiming?) -> [RecordedFile] {
        flushTranscoders(of: .video)
        padAudioToVideoEnd()
        flushTranscoders(of: .audio)
        for index in writers.indices {
            guard let writer = writers[index] else { continue }
            do {
                try writer.finish()
                files[index].complete = true
            } catch {
                files[index].error = "\(error)"
            }
            // After finishing: the writer held each video track's last frame until then.
            files[index].tracks = trackReports(writer: index, statistics: writer.statistics, timing: timing)
            writers[index] = nil
        }
        return files
    }

    /// Closes every file as it is, writing nothing more into it (no held frame, no index) and
    /// leaving it under its temporary name: the recording may no longer write its folder.
    func abandon(timing: (TrackKey) -> SenderReportTiming?) -> [RecordedFile] {
        for index in writers.indices {
            guard let writer = writers[index] else { continue }
            writer.abandon()
            files[index].error = "abandoned as it was: the recording may no longer write its folder"
            files[index].tracks = trackReports(writer: index, statistics: writer.statistics, timing: timing)
            writers[index] = nil
        }
        return files
    }

    private func flushTranscoders(of kind: MediaKind) {
        for track in tracks.indices where tracks[track].description.kind == kind {
            guard let transcoder = tracks[track].transcoder else { continue }
            do {
                for frame in try transcoder.flush() {
                    frame.data.withUnsafeBytes { encoded in
                        write(writer: tracks[track].writer, track: tracks[track].index, bytes: encoded, pts: frame.pts,
                              isKeyframe: frame.isKeyframe, duration: frame.duration)
                    }
                }
            } catch {
                endTranscoding(track, error: error)
            }
        }
    }

    private func trackReports(writer: Int, statistics: [TrackStatistics], timing: (TrackKey) -> SenderReportTiming?) -> [RecordedTrack] {
        tracks.filter { $0.writer == writer }.map { track in
            let stats = statistics[track.index]
            let base = track.description.timeBase
            func seconds(_ pts: Int64?) -> Double? {
                pts.map { Double($0) * Double(base.numerator) / Double(base.denominator) }
            }
            let codec = track.description.codec
            return RecordedTrack(
                mid: track.key.mid, kind: codec.kind, codec: codec,
                sourceCodec: MediaCodec(track.sourceCodec) == codec ? nil : MediaCodec(track.sourceCodec),
                width: codec.kind == .video ? track.description.width : nil,
                height: codec.kind == .video ? track.description.height : nil,
                start: seconds(stats.firstTimestamp), end: seconds(stats.lastTimestamp),
                frames: stats.framesWritten, bytes: stats.bytesWritten,
                framesSkippedBeforeKeyframe: stats.framesSkippedBeforeKeyframe,
                timestampsAdjusted: stats.timestampsAdjusted, framesDroppedWriterBehind: track.framesDroppedWriterBehind,
                senderReports: timing(track.key))
        }
    }
}
