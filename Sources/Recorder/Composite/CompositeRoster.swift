/// Who is on the composite when: each participant from their first media's place on the room
/// timeline until they left, and who is the active speaker (`SpeakerDetector`'s decisions, with
/// their hysteresis). Sans-IO; times are seconds since the recording's start.
///
/// Presence is by participant, not by connection segment: a participant whose tracks changed
/// (a new segment) keeps their tile; one who left and came back gets a new one at the end.
struct CompositeRoster {
    private struct Stay {
        var participant: String
        var from: Double
        var until: Double?
    }

    /// In order of arrival: the order of the tiles.
    private var stays: [Stay] = []
    /// The active speaker from each time on (nil: nobody), in order of time.
    private var speakerChanges: [(time: Double, participant: String?)] = []

    /// The active speaker is `participant` from `time` on.
    mutating func speak(_ participant: String?, at time: Double) {
        // Decisions come in order; one placed a little before the last (clocks apart) takes its place.
        speakerChanges.removeAll { $0.time > time }
        speakerChanges.append((time, participant))
    }

    /// The active speaker at `time`, if any.
    func speaker(at time: Double) -> String? {
        speakerChanges.last { $0.time <= time }?.participant
    }

    /// `participant` is on the composite from `time`; nothing if they are already.
    mutating func join(_ participant: String, at time: Double) {
        guard !stays.contains(where: { $0.participant == participant && $0.until == nil }) else { return }
        stays.append(Stay(participant: participant, from: time))
    }

    /// `participant` is gone from `time` on.
    mutating func leave(_ participant: String, at time: Double) {
        guard let index = stays.firstIndex(where: { $0.participant == participant && $0.until == nil }) else { return }
        stays[index].until = max(time, stays[index].from)
    }

    /// Who is on the composite at `time`, in order of arrival.
    func present(at time: Double) -> [String] {
        stays.filter { $0.from <= time && ($0.until ?? .infinity) > time }.map(\.participant)
    }

    /// Whether `participant` is on the composite at `time` or will be later.
    func stays(_ participant: String, after time: Double) -> Bool {
        stays.contains { $0.participant == participant && ($0.until ?? .infinity) > time }
    }

    /// Forgets the stays that ended before `time`: the composite is past them.
    mutating func forget(before time: Double) {
        stays.removeAll { ($0.until ?? .infinity) <= time }
        // The change in force at `time` stays.
        if let current = speakerChanges.lastIndex(where: { $0.time <= time }), current > 0 {
            speakerChanges.removeFirst(current)
        }
    }
}
