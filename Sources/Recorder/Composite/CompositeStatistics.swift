/// What the room's composite did so far, for the manifest.
public struct CompositeStatistics: Sendable, Hashable {
    /// Output frames made and encoded.
    public var framesMade = 0
    /// Output frames not made because the media thread was behind (too little CPU): the
    /// picture before is shown a little longer.
    public var framesDropped = 0
    /// Participants' frames that did not decode.
    public var framesUndecodable = 0
    /// Participants' frames let go because their queue overflowed (their sender ran ahead).
    public var framesOverflowed = 0
    /// Participants' video tracks decoded, and how many of each codec.
    public var videoTracks = 0
    public var videoCodecs: [String: Int] = [:]
    /// Times the tiles were laid out again (someone joined or left).
    public var layoutChanges = 0
}
