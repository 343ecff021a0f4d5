/// Where a room's participants are recorded: the recording's media thread, and how a
/// participant's recorder is made there (given their identity: their name, or their id); and
/// where their connections' raw captures go, when the recipe keeps them.
struct ParticipantRecorders: Sendable {
    let thread: MediaThread
    let make: @Sendable (String) -> ParticipantRecorder
    var capture: CaptureThread?
}
