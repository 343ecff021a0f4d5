import RTC

/// A recording's speaker timeline as it is heard: the levels of every participant's audio
/// frames go through one `SpeakerDetector`, and the speech it finds is kept as intervals on the
/// recorder's wall clock, by participant identity (a participant whose connection dropped and
/// came back is one speaker).
///
/// Confined to the recording's `MediaThread`: the I/O event loops only carry each packet's level
/// byte inside its frame. Nothing is allocated per frame; an interval is appended when speech starts.
final class SpeakerTimeline {
    /// One stretch of speech, in Unix seconds; `end` nil while it goes on.
    struct Interval: Sendable, Hashable {
        var participant: String
        var start: Double
        var end: Double?
    }

    /// The timeline as it stands.
    struct Snapshot: Sendable, Hashable {
        /// In the order speech started.
        var intervals: [Interval]
        /// Identities any level arrived from: the others' speech is unknown, not absent.
        var heard: Set<String>

        func intervals(of participant: String) -> [Interval] { intervals.filter { $0.participant == participant } }
    }

    private struct Connection {
        var identity: String
        var sentLevels = false
    }

    private let wallClock: WallClockReference
    private var detector: SpeakerDetector
    /// By the media thread's participant number (one per connection).
    private var connections: [Int: Connection] = [:]
    private var intervals: [Interval] = []
    /// The open interval of each connection that speaks.
    private var openIntervals: [Int: Int] = [:]
    /// Told each change of the active speaker (their identity, nil: nobody) and its time (Unix
    /// seconds): the composite's speaker layout follows it.
    var activeSpeakerChanged: ((String?, Double) -> Void)?

    init(wallClock: WallClockReference, settings: SpeakerDetectionSettings = SpeakerDetectionSettings()) {
        self.wallClock = wallClock
        detector = SpeakerDetector(settings: settings)
    }

    func add(_ participant: Int, identity: String) {
        connections[participant] = Connection(identity: identity)
    }

    /// The level of one of `participant`'s audio frames, which arrived at `arrival`.
    func hear(_ participant: Int, level: AudioLevel, arrival: ContinuousClock.Instant) {
        guard let connection = connections[participant] else { return }
        // Written once: a write per audio frame would copy-check the dictionary every time.
        if !connection.sentLevels { connections[participant]?.sentLevels = true }
        detector.hear(participant, level: level.level, at: wallClock.unixSeconds(at: arrival)) { record($0) }
    }

    /// The connection ended: its speech ends.
    func remove(_ participant: Int, at instant: ContinuousClock.Instant) {
        detector.remove(participant, at: wallClock.unixSeconds(at: instant)) { record($0) }
    }

    /// Speech so far, quiet since the last packets taken into account up to `instant`.
    func snapshot(at instant: ContinuousClock.Instant) -> Snapshot {
        detector.advance(to: wallClock.unixSeconds(at: instant)) { record($0) }
        return Snapshot(intervals: intervals,
                        heard: Set(connections.values.filter(\.sentLevels).map(\.identity)))
    }

    private func record(_ event: SpeakerEvent) {
        switch event {
        case .startedSpeaking(let participant, let start):
            guard let identity = connections[participant]?.identity else { return }
            openIntervals[participant] = intervals.count
            intervals.append(Interval(participant: identity, start: start))
        case .stoppedSpeaking(let participant, let end):
            guard let index = openIntervals.removeValue(forKey: participant) else { return }
            intervals[index].end = max(end, intervals[index].start)
        case .activeSpeakerChanged(let participant, let time):
            activeSpeakerChanged?(participant.flatMap { connections[$0]?.identity }, time)
        }
    }
}
