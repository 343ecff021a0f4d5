import Media

/// One file a recording wrote (or is writing), for the manifest.
public struct RecordedFile: Sendable, Hashable, Codable {
    /// Relative to the recording's directory.
    public var path: String
    public var container: MediaContainer
    public var tracks: [RecordedTrack]
    /// Finished and renamed to `path`; false while writing, or when writing failed (the file
    /// then keeps its temporary name, `temporaryPath`, and plays up to the failure).
    public var complete: Bool
    public var temporaryPath: String
    public var error: String?
}

/// One track of a recorded file.
public struct RecordedTrack: Sendable, Hashable, Codable {
    /// The participant's media section.
    public var mid: String?
    public var kind: MediaKind
    /// The codec in the file.
    public var codec: MediaCodec
    /// The codec the participant sent, when the file holds a transcoding of it.
    public var sourceCodec: MediaCodec?
    public var width: Int?
    public var height: Int?
    /// Seconds from the file's start to the track's first and last frame.
    public var start: Double?
    public var end: Double?
    public var frames: Int
    public var bytes: Int
    /// Frames the writer skipped before the first keyframe, or nudged (see `TrackStatistics`).
    public var framesSkippedBeforeKeyframe: Int
    public var timestampsAdjusted: Int
    /// Frames dropped before the writer because it was behind (a slow disk, a busy encoder):
    /// video to its next keyframe.
    public var framesDroppedWriterBehind: Int
    /// How the track's sender reports were weighed (nil: none arrived).
    public var senderReports: SenderReportTiming?
}

extension RecordedFile {
    /// The name a file at `path` has while it is written (`.NAME.partial` beside it), where an
    /// interrupted run leaves it.
    public static func temporaryPath(for path: String) -> String { MediaFileWriter.temporaryPath(for: path) }

    /// The size of the file at `path` on disk (nil when there is none). A `stat`: Foundation's
    /// `attributesOfItem` also reads /etc/passwd and /etc/group for the owner's names, which for
    /// every file of every manifest written during a call was most of the manifest's system calls.
    public static func bytesOnDisk(at path: String) -> Int64? { MediaFileWriter.bytesOnDisk(at: path) }

    /// Removes the files an interrupted run left in `folder` and its subfolders before they held
    /// media (`.NAME.opening`); returns their paths relative to `folder`.
    @discardableResult
    public static func removeAbandonedOpenings(in folder: String) -> [String] {
        MediaFileWriter.removeAbandonedOpenings(in: folder)
    }
}
