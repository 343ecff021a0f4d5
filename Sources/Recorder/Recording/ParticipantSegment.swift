import Media

/// What a participant's recorder writes one stretch of their recording into: files of their
/// own (`RecordingSegment`), or their share of the room's mix (`MixSegment`). Either way the
/// recorder lines the tracks up the same way, so the mix places each participant exactly where
/// their own files would.
protocol ParticipantSegment: AnyObject {
    var number: Int { get }
    /// The recorder's wall clock (Unix seconds) at the segment's time zero.
    var start: Double { get }
    var trackKeys: [TrackKey] { get }
    func trackIndex(of key: TrackKey) -> Int?
    /// Moves a track's placement to `origin`, slewed (see `SegmentTrack.slew`).
    func retarget(track: Int, origin: Double)
    func noteDropped(_ count: Int, track: Int)
    /// Writes one frame; returns whether the sender should be asked for a keyframe.
    @discardableResult
    func write(track: Int, bytes: UnsafeRawBufferPointer, timestamp: Int64, isKeyframe: Bool) -> Bool
    func report(timing: (TrackKey) -> SenderReportTiming?) -> [RecordedFile]
    func finish(timing: (TrackKey) -> SenderReportTiming?) -> [RecordedFile]
    func abandon(timing: (TrackKey) -> SenderReportTiming?) -> [RecordedFile]
}

extension RecordingSegment: ParticipantSegment {
    var trackKeys: [TrackKey] { tracks.map(\.key) }
}
