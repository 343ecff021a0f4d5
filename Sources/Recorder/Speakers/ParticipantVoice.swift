import Foundation
import RTC

/// One participant's recent audio as `SpeakerDetector` follows it: how much of it was loud
/// (`activity`), how loud (`loudness`), and whether that makes them a speaker now.
struct ParticipantVoice {
    /// The share of recent audio that was loud, 0…1, as of `lastPacketAt`.
    private(set) var activity = 0.0
    /// How loud recent audio was, 0 (silence) … 1 (full scale), as of `lastPacketAt`.
    private(set) var loudness = 0.0
    private(set) var lastPacketAt: Double?
    /// The end of the last loud packet's audio (its arrival).
    private(set) var lastLoudAt: Double?
    /// Where the sound that is becoming (or is) speech began.
    private var soundStart: Double?
    /// The last packet was loud.
    private var lastWasLoud = false
    private(set) var isSpeaking = false

    /// Takes one packet's level, arrived at `time`; returns the start of speech when the packet
    /// made the participant a speaker.
    mutating func hear(level: UInt8, at arrival: Double, settings: SpeakerDetectionSettings) -> Double? {
        // A packet handed over late (another connection's loop was first) counts as arriving now.
        let time = max(arrival, lastPacketAt ?? arrival)
        let gap = lastPacketAt.map { time - $0 } ?? settings.firstPacket
        // The packet carries the audio just before its arrival; any longer wait before it was quiet.
        let span = min(gap, settings.longestPacket)
        decay(over: gap - span, settings: settings)
        let isLoud = level <= settings.loudLevel
        let keep = exp(-span / settings.smoothing)
        // A sound starts on a loud packet after quiet (a quiet packet, or a wait for this one),
        // unless the quiet was too short to let the rising activity die down.
        let soundGoesOn = lastWasLoud && gap <= settings.longestPacket
        if isLoud, !isSpeaking, soundStart == nil || (!soundGoesOn && activity < settings.release) { soundStart = time - span }
        lastWasLoud = isLoud
        activity = (isLoud ? 1 : 0) + (activity - (isLoud ? 1 : 0)) * keep
        let volume = Double(AudioLevel.silence - min(level, AudioLevel.silence)) / Double(AudioLevel.silence)
        loudness = volume + (loudness - volume) * keep
        lastPacketAt = time
        if isLoud { lastLoudAt = time }
        guard !isSpeaking, activity >= settings.onset else { return nil }
        isSpeaking = true
        return soundStart ?? time - span
    }

    /// Whether speech has ended by `time` (quiet since the last packet counted); returns where it
    /// ended, the end of the last loud packet, and forgets the speech.
    mutating func speechEnded(by time: Double, settings: SpeakerDetectionSettings) -> Double? {
        guard isSpeaking, activity(at: time, settings: settings) < settings.release else { return nil }
        isSpeaking = false
        soundStart = nil
        return lastLoudAt ?? lastPacketAt ?? time
    }

    /// Ends speech at once (the participant left); returns where it ended, if they were speaking.
    mutating func endSpeech(at time: Double) -> Double? {
        guard isSpeaking else { return nil }
        isSpeaking = false
        return min(time, lastLoudAt ?? time)
    }

    /// The activity projected to `time`, all of it since the last packet quiet.
    func activity(at time: Double, settings: SpeakerDetectionSettings) -> Double {
        guard let lastPacketAt, time > lastPacketAt else { return activity }
        return activity * exp(-(time - lastPacketAt) / settings.smoothing)
    }

    /// How strongly the participant speaks at `time`: loud and often.
    func dominance(at time: Double, settings: SpeakerDetectionSettings) -> Double {
        activity(at: time, settings: settings) * loudness
    }

    private mutating func decay(over quiet: Double, settings: SpeakerDetectionSettings) {
        guard quiet > 0 else { return }
        let keep = exp(-quiet / settings.smoothing)
        activity *= keep
        loudness *= keep
    }
}
