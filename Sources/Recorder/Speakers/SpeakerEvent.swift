/// What `SpeakerDetector` decided, at a time on the caller's timeline (seconds).
enum SpeakerEvent: Sendable, Hashable {
    /// `participant` began to speak at `at` (the start of the sound that made it speech).
    case startedSpeaking(participant: Int, at: Double)
    /// `participant` stopped speaking: `at` is the end of their last loud packet.
    case stoppedSpeaking(participant: Int, at: Double)
    /// The active speaker is now `participant` (nil: nobody, the last one left).
    case activeSpeakerChanged(participant: Int?, at: Double)
}
