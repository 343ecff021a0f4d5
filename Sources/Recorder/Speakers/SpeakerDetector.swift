import RTC

/// Who is speaking, and who the active speaker is, from the levels senders put in their audio
/// packets (RFC 6464): nothing is decoded. Sans-IO and clock-free: packets' levels and times come
/// in as arguments (seconds on the caller's timeline, in order), decisions go out as
/// `SpeakerEvent`s through the caller's closure.
///
/// - A participant *speaks* while their activity (`SpeakerDetectionSettings`) is high: from
///   `onset` until it falls below `release` — hysteresis, so a cough or a pause between words
///   changes nothing.
/// - The *active speaker* is the one who speaks most strongly (activity × loudness). It changes
///   only when another has been the strongest speaker for `hold`, so a blip from a third
///   participant does not switch it; when nobody speaks, the last one stays. The first speaker
///   becomes active at once, and so does the strongest remaining one when the active one leaves.
///
/// Nothing is allocated per packet once a participant is known.
struct SpeakerDetector {
    let settings: SpeakerDetectionSettings
    private var voices: [Int: ParticipantVoice] = [:]
    private(set) var activeSpeaker: Int?
    /// The strongest speaker who is not the active one, and since when they have been.
    private var challenger: (participant: Int, since: Double)?
    private var nextDecision = -Double.infinity

    init(settings: SpeakerDetectionSettings = SpeakerDetectionSettings()) {
        self.settings = settings
    }

    /// Whether `participant` speaks now (as of the last packet or decision).
    func isSpeaking(_ participant: Int) -> Bool { voices[participant]?.isSpeaking ?? false }

    /// One packet's level from `participant` (a participant's first packet adds them).
    mutating func hear(_ participant: Int, level: UInt8, at time: Double, report: (SpeakerEvent) -> Void) {
        if let start = voices[participant, default: ParticipantVoice()].hear(level: level, at: time, settings: settings) {
            report(.startedSpeaking(participant: participant, at: start))
        }
        advance(to: time, report: report)
    }

    /// Time passes with no packet (called at least every `decisionInterval` while nobody
    /// sends, e.g. at each manifest write): ends speech that went quiet, decides the active speaker.
    mutating func advance(to time: Double, report: (SpeakerEvent) -> Void) {
        guard time >= nextDecision else { return }
        nextDecision = time + settings.decisionInterval
        // By index, in place: iterating `keys` while mutating would copy the dictionary.
        var index = voices.startIndex
        while index != voices.endIndex {
            if let end = voices.values[index].speechEnded(by: time, settings: settings) {
                report(.stoppedSpeaking(participant: voices.keys[index], at: end))
            }
            index = voices.index(after: index)
        }
        decideActiveSpeaker(at: time, report: report)
    }

    /// `participant` left (or the recording ends): their speech ends, and when they were the
    /// active speaker, the strongest one still speaking takes over at once (or nobody).
    mutating func remove(_ participant: Int, at time: Double, report: (SpeakerEvent) -> Void) {
        guard var voice = voices.removeValue(forKey: participant) else { return }
        if let end = voice.endSpeech(at: time) { report(.stoppedSpeaking(participant: participant, at: end)) }
        if challenger?.participant == participant { challenger = nil }
        guard activeSpeaker == participant else { return }
        activeSpeaker = strongestSpeaker(at: time)
        challenger = nil
        report(.activeSpeakerChanged(participant: activeSpeaker, at: time))
    }

    private mutating func decideActiveSpeaker(at time: Double, report: (SpeakerEvent) -> Void) {
        guard let strongest = strongestSpeaker(at: time) else {
            challenger = nil  // nobody speaks: the last speaker stays
            return
        }
        guard let active = activeSpeaker else {
            activeSpeaker = strongest
            report(.activeSpeakerChanged(participant: strongest, at: time))
            return
        }
        guard strongest != active else {
            challenger = nil
            return
        }
        if challenger?.participant != strongest { challenger = (strongest, time) }
        guard let challenger, time - challenger.since >= settings.hold else { return }
        activeSpeaker = strongest
        self.challenger = nil
        report(.activeSpeakerChanged(participant: strongest, at: time))
    }

    /// The speaking participant with the highest dominance; the active speaker wins a tie.
    private func strongestSpeaker(at time: Double) -> Int? {
        var best: (participant: Int, dominance: Double)?
        for (participant, voice) in voices where voice.isSpeaking {
            let dominance = voice.dominance(at: time, settings: settings)
            if let current = best {
                let better = dominance > current.dominance
                    || (dominance == current.dominance && (participant == activeSpeaker || (current.participant != activeSpeaker && participant < current.participant)))
                if !better { continue }
            }
            best = (participant, dominance)
        }
        return best?.participant
    }
}
