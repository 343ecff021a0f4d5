/// A participant arrived when the session already had `RoomSessionConfiguration.maximumParticipants`.
struct ParticipantLimitReached: Error, CustomStringConvertible {
    let limit: Int
    var description: String { "the session is at its limit of \(limit) participants" }
}
