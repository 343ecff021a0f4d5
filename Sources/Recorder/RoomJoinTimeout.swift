/// The bot did not get into the room within `RoomSessionConfiguration.joinTimeout`: the server
/// is unreachable, or never answered. Names what was tried and why it last failed, so the
/// person who made a typo in the URL sees it.
public struct RoomJoinTimeout: Error, Hashable, CustomStringConvertible {
    public var room: String
    public var url: String
    public var timeout: Duration
    /// Why the last connection attempt failed (nil: none failed; the first is still pending).
    public var lastFailure: String?
    /// Connection attempts that failed before the timeout.
    public var failedAttempts: Int

    public var description: String {
        let why = lastFailure.map { "\($0) (last of \(failedAttempts) attempt\(failedAttempts == 1 ? "" : "s"))" }
            ?? "the signaling server did not answer"
        return "could not join room \"\(room)\" at \(url) within \(timeout.readable): \(why)"
    }
}
