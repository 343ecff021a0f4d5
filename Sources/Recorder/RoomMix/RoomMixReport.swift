/// What the room's mix is, for the manifest.
public struct RoomMixReport: Sendable, Hashable {
    /// Nil until the first media opened it.
    public var file: RecordedFile?
    /// The composite video in the same file (nil: the recipe makes none).
    public var composite: CompositeStatistics?
    public var participantTracksHeard: Int
    public var lateSeconds: Double
    public var beyondHorizonSeconds: Double
    public var limitedSeconds: Double
    public var clippedSamples: Int64
    public var packetsUndecodable: Int
    public var framesDroppedWriterBehind: Int
    public var errors: [String]
}
