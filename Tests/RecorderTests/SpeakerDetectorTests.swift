@testable import Recorder
import Testing

/// The speaker detector on synthetic level sequences: a packet every 20 ms from each participant
/// who sends, its level given by a script, the way the media thread feeds it.
@Suite("Speaker detection from audio levels")
struct SpeakerDetectorTests {
    /// A speaker's level in -dBov (lower is louder); nil: no packet (DTX, or not there).
    typealias Script = (_ participant: Int, _ time: Double) -> UInt8?

    struct Run {
        var events: [SpeakerEvent] = []
        /// The active speaker sampled every 20 ms.
        var active: [(time: Double, participant: Int?)] = []

        var activeChanges: [(participant: Int?, at: Double)] {
            events.compactMap { event -> (participant: Int?, at: Double)? in
                guard case .activeSpeakerChanged(let participant, let at) = event else { return nil }
                return (participant, at)
            }
        }

        /// Each participant's speech, as (start, end) in order; end nil while it goes on.
        func intervals(of participant: Int) -> [(start: Double, end: Double?)] {
            var result: [(start: Double, end: Double?)] = []
            for event in events {
                switch event {
                case .startedSpeaking(participant, let at): result.append((at, nil))
                case .stoppedSpeaking(participant, let at): result[result.count - 1].end = at
                default: break
                }
            }
            return result
        }

        func activeSpeaker(at time: Double) -> Int? {
            active.last { $0.time <= time + 1e-9 }?.participant
        }
    }

    /// Speech: loud (level `loudness`), with a 200 ms pause every second, as between sentences.
    static func speech(_ time: Double, loudness: UInt8 = 25) -> UInt8 {
        time.truncatingRemainder(dividingBy: 1) < 0.8 ? loudness : 90
    }

    /// Feeds every participant's packets every 20 ms from 0 to `duration` (participants `0..<count`),
    /// advancing time as the media thread does.
    static func run(_ count: Int, for duration: Double, removing removals: [(participant: Int, at: Double)] = [],
                    script: Script) -> (Run, SpeakerDetector) {
        var detector = SpeakerDetector()
        var run = Run()
        var removed: Set<Int> = []
        for step in 0...Int((duration / 0.02).rounded()) {
            let time = Double(step) * 0.02
            for removal in removals where removal.at <= time && !removed.contains(removal.participant) {
                removed.insert(removal.participant)
                detector.remove(removal.participant, at: time) { run.events.append($0) }
            }
            for participant in 0..<count where !removed.contains(participant) {
                if let level = script(participant, time) { detector.hear(participant, level: level, at: time) { run.events.append($0) } }
            }
            detector.advance(to: time) { run.events.append($0) }
            run.active.append((time, detector.activeSpeaker))
        }
        return (run, detector)
    }

    @Test("The first speaker becomes active once they have spoken for 0.3 s; their speech starts when the sound did")
    func firstSpeaker() {
        let (run, _) = Self.run(2, for: 3) { participant, time in participant == 0 && time >= 1 ? Self.speech(time - 1) : 127 }
        let change = run.activeChanges.first
        #expect(change?.participant == 0)
        #expect((1.25...1.45).contains(change?.at ?? 0), "\(run.activeChanges)")
        let speech = run.intervals(of: 0)
        #expect(speech.count == 1, "pauses between sentences do not end speech: \(speech)")
        #expect(abs((speech.first?.start ?? 0) - 1) <= 0.03, "\(speech)")
        #expect(run.intervals(of: 1).isEmpty)
    }

    @Test("A change of speaker is followed within 2 s, and only once")
    func changeOfSpeaker() {
        // 0 speaks from 0 to 5 s, 1 from 5 to 10 s; the other is quiet (packets at 127).
        let (run, _) = Self.run(2, for: 10) { participant, time in
            (participant == 0) == (time < 5) ? Self.speech(time, loudness: participant == 0 ? 25 : 35) : 127
        }
        #expect(run.activeChanges.map(\.participant) == [0, 1], "\(run.activeChanges)")
        let switchedAt = run.activeChanges.last?.at ?? .infinity
        #expect(switchedAt > 5 && switchedAt <= 7, "switched at \(switchedAt)")
        #expect(run.intervals(of: 0).count == 1 && run.intervals(of: 1).count == 1)
        let first = run.intervals(of: 0)[0], second = run.intervals(of: 1)[0]
        // 0's last sentence is loud until 4.78 s (a pause from 4.8).
        #expect(abs((first.end ?? 0) - 4.78) <= 0.03, "\(first)")
        #expect(abs(second.start - 5) <= 0.03 && second.end == nil, "\(second)")
    }

    @Test("Two speaking at once: the louder one takes over only after being louder for the hold time")
    func overlap() {
        // 0 speaks throughout; 1 joins in louder from 3 s.
        let (run, _) = Self.run(2, for: 8) { participant, time in
            participant == 0 ? 35 : (time >= 3 ? 15 : 127)
        }
        #expect(run.activeChanges.map(\.participant) == [0, 1], "\(run.activeChanges)")
        let switchedAt = run.activeChanges.last?.at ?? .infinity
        // 1 speaks from 3.3 s and becomes the stronger soon after: the hold is 1 s.
        #expect(switchedAt >= 4.3 && switchedAt <= 5, "switched at \(switchedAt)")
    }

    @Test("A 200 ms blip from a third participant, louder than the speaker: no switch, and no speech", arguments: [
        4.0, 4.01, 4.05, 4.09,
    ])
    func blip(at start: Double) {
        let (run, _) = Self.run(3, for: 8) { participant, time in
            switch participant {
            case 0: Self.speech(time)
            case 1: 127
            default: time >= start && time < start + 0.2 ? 5 : 127
            }
        }
        #expect(run.activeChanges.map(\.participant) == [0], "\(run.activeChanges)")
        #expect(run.intervals(of: 2).isEmpty, "\(run.intervals(of: 2))")
    }

    @Test("A cough (half a second, loud) while someone speaks: it is speech of its own, but the speaker stays")
    func cough() {
        let (run, _) = Self.run(2, for: 8) { participant, time in
            participant == 0 ? Self.speech(time) : (time >= 4 && time < 4.5 ? 5 : 127)
        }
        #expect(run.activeChanges.map(\.participant) == [0], "\(run.activeChanges)")
        let cough = run.intervals(of: 1)
        #expect(cough.count == 1 && abs((cough.first?.start ?? 0) - 4) <= 0.03 && abs((cough.first?.end ?? 0) - 4.48) <= 0.03, "\(cough)")
    }

    @Test("Silence ends speech whether the sender sends quiet packets or none (DTX); the last speaker stays active",
          arguments: [true, false])
    func silence(dtx: Bool) {
        let (run, detector) = Self.run(2, for: 6) { participant, time in
            guard participant == 0 else { return 127 }
            if time < 2 { return 25 }
            return dtx ? nil : 127
        }
        let speech = run.intervals(of: 0)
        #expect(speech.count == 1, "\(speech)")
        #expect(abs((speech.first?.end ?? 0) - 1.98) <= 0.03, "ends with the last loud packet: \(speech)")
        // Ended within half a second of the quiet's start, not at once.
        let stopped = run.events.firstIndex { if case .stoppedSpeaking(0, _) = $0 { true } else { false } }
        #expect(stopped != nil)
        #expect(!detector.isSpeaking(0))
        #expect(run.activeSpeaker(at: 5.9) == 0)
        #expect(run.activeChanges.count == 1)
    }

    @Test("A level just louder than the threshold is speech; just quieter is not")
    func threshold() {
        let settings = SpeakerDetectionSettings()
        let (loud, _) = Self.run(1, for: 2) { _, _ in settings.loudLevel }
        let (quiet, _) = Self.run(1, for: 2) { _, _ in settings.loudLevel + 1 }
        #expect(loud.intervals(of: 0).count == 1)
        #expect(quiet.intervals(of: 0).isEmpty && quiet.activeChanges.isEmpty)
    }

    @Test("The active speaker leaves: the one still speaking takes over at once; when nobody speaks, nobody is active")
    func leaving() {
        let (run, _) = Self.run(3, for: 6, removing: [(0, 3), (1, 5)]) { participant, time in
            switch participant {
            case 0: 20
            case 1: time >= 1 ? 40 : 127
            default: 127
            }
        }
        #expect(run.activeChanges.map(\.participant) == [0, 1, nil], "\(run.activeChanges)")
        #expect(abs(run.activeChanges[1].at - 3) < 1e-6 && abs(run.activeChanges[2].at - 5) < 1e-6, "\(run.activeChanges)")
        #expect(run.intervals(of: 0).count == 1 && (run.intervals(of: 0)[0].end ?? 99) <= 3)
        #expect(run.intervals(of: 1).count == 1 && (run.intervals(of: 1)[0].end ?? 99) <= 5)
    }

    @Test("A participant heard for the first time late, or whose packets arrive out of order, breaks nothing")
    func oddTimes() {
        var detector = SpeakerDetector()
        var events: [SpeakerEvent] = []
        for time in stride(from: 0.0, to: 1, by: 0.02) { detector.hear(7, level: 10, at: time) { events.append($0) } }
        detector.hear(7, level: 10, at: 0.5) { events.append($0) }  // from the past
        detector.hear(8, level: 127, at: 100) { events.append($0) }
        detector.remove(9, at: 100) { events.append($0) }  // never heard
        // The first packet stands for the 20 ms before it.
        #expect(events.first == .startedSpeaking(participant: 7, at: -0.02))
        // The late packet moved nothing back: speech ends with the last loud packet in time.
        let ends = events.compactMap { event -> Double? in
            guard case .stoppedSpeaking(7, let at) = event else { return nil }
            return at
        }
        #expect(ends.count == 1 && abs(ends[0] - 0.98) < 1e-6, "\(events)")
        #expect(!detector.isSpeaking(8) && !detector.isSpeaking(9))
    }
}
