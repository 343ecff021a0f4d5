import Media

extension MediaFileWriter {
    /// What a room's file holds so far, track by track, for the manifest. `framesDroppedWriterBehind`:
    /// participants' audio frames dropped before the mix (the video's are the composite's own count).
    func recordedTracks(framesDroppedWriterBehind: Int) -> [RecordedTrack] {
        zip(tracks, statistics).map { track, stats in
            func seconds(_ pts: Int64?) -> Double? {
                pts.map { Double($0) * Double(track.timeBase.numerator) / Double(track.timeBase.denominator) }
            }
            let video = track.kind == .video
            return RecordedTrack(mid: nil, kind: track.kind, codec: track.codec, sourceCodec: nil, width: video ? track.width : nil,
                                 height: video ? track.height : nil, start: seconds(stats.firstTimestamp), end: seconds(stats.lastTimestamp),
                                 frames: stats.framesWritten, bytes: stats.bytesWritten,
                                 framesSkippedBeforeKeyframe: stats.framesSkippedBeforeKeyframe, timestampsAdjusted: stats.timestampsAdjusted,
                                 framesDroppedWriterBehind: video ? 0 : framesDroppedWriterBehind, senderReports: nil)
        }
    }
}
