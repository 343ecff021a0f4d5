/// How `SpeakerDetector` tells speech from quiet, and a change of speaker from a blip. Times in
/// seconds.
///
/// A participant's *activity* is the share of their recent audio that was loud, averaged with
/// the time constant `smoothing`: continuous sound takes it from 0 to `onset` in
/// `-smoothing·ln(1-onset)` (0.30 s with these values), so a 200 ms cough (0.55) does not count
/// as speech; quiet takes it from 1 below `release` in `-smoothing·ln(release)` (0.40 s), so
/// the pauses between words do not end it. Like the SFUs' detectors (LiveKit's share of loud
/// packets over a window, Jitsi's speech activity over time scales), the sender's level decides,
/// not a decoder.
struct SpeakerDetectionSettings: Sendable, Hashable {
    /// A packet at this level or louder (-dBov, lower is louder) is sound. Speech into a
    /// microphone is at 20–40 -dBov; a quiet room's noise at 60–80.
    var loudLevel: UInt8 = 50
    var smoothing = 0.25
    /// Activity at which a participant starts speaking, and below which they stop: apart, so
    /// that a level near either never flaps.
    var onset = 0.7
    var release = 0.2
    /// The most audio one packet stands for (Opus packets hold 2.5–60 ms); a longer wait for
    /// the next packet is quiet (DTX, or a sender that stopped).
    var longestPacket = 0.06
    /// What a participant's first packet is taken to hold: WebRTC's usual 20 ms.
    var firstPacket = 0.02
    /// How long a new participant must have been the loudest speaker before the active speaker
    /// changes to them: longer than a cough, short enough to follow a real change within 2 s.
    var hold = 1.0
    /// Speech ends and the active speaker is decided at most this often.
    var decisionInterval = 0.1
}
