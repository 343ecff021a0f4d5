/// What the synthetic publisher's audio carries: the pattern's tone, or digital silence (a
/// participant who is there but does not speak, for speaker detection).
public enum TestAudioSound: String, Sendable, Hashable, CaseIterable {
    /// The pattern's sound: a continuous 440 Hz tone, or the flash-beep pattern's beeps.
    case tone
    /// Zero samples, still encoded and sent every 20 ms (level 127 -dBov).
    case silent
}
