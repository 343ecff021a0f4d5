/// What a writer did with one track's frames, for the recording's manifest.
public struct TrackStatistics: Sendable, Hashable {
    public var framesWritten = 0
    public var bytesWritten = 0
    /// Frames whose timestamp repeated or went back before the previous one (audio: before the
    /// previous one ended): written one tick after it (audio: at its end), never dropped. The
    /// frames after one that keep its delay are not counted again.
    public var timestampsAdjusted = 0
    /// Video frames skipped before the track's first keyframe (they would not decode).
    public var framesSkippedBeforeKeyframe = 0
    /// The first and last timestamps written, in the track's time base (as the caller gave them).
    public var firstTimestamp: Int64?
    public var lastTimestamp: Int64?

    public init() {}
}
