/// What a writer did with one track's frames, for the recording's manifest.
public struct TrackStatistics: Sendable, Hashable {
    public var framesWritten = 0
    public var bytesWritten = 0
    /// Frames whose timestamp repeated the previous one or went back by at most
    /// `MediaFileWriter.Options.maximumTimestampRegression`: written one tick after the previous.
    public var timestampsAdjusted = 0
    /// Frames whose timestamp went back further: dropped (a broken timeline upstream).
    public var framesDroppedOutOfOrder = 0
    /// Video frames skipped while waiting for a keyframe: before the first one, and after a
    /// dropped frame (the frames after it would not decode).
    public var framesSkippedBeforeKeyframe = 0
    /// The first and last timestamps written, in the track's time base (as the caller gave them).
    public var firstTimestamp: Int64?
    public var lastTimestamp: Int64?

    public init() {}
}
