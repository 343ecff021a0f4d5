/// What a file of a segment is named from: the recording's naming (a recipe's template) turns
/// it into a path relative to the recording's directory, extension included.
public struct SegmentFileName: Sendable, Hashable {
    public var participant: String
    /// 1 for a participant's first segment.
    public var segment: Int
    /// The track's kind and media section, in a per-track layout; nil for a file of all tracks.
    public var kind: String?
    public var track: String?
    /// The recorder's wall clock at the segment's start (Unix seconds).
    public var start: Double
    public var fileExtension: String
}

/// Turns a `SegmentFileName` into a relative path. Throws when the name cannot be made.
public typealias SegmentNaming = @Sendable (SegmentFileName) throws -> String
