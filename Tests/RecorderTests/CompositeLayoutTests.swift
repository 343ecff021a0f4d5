import Media
@testable import Recorder
import Testing

/// The composite's arithmetic, without video: where tiles go, who is on the canvas when, and
/// which output frames are made or dropped.
@Suite("Composite layout")
struct CompositeLayoutTests {
    @Test("n tiles take ceil(sqrt(n)) columns", arguments: [(1, 1), (2, 2), (3, 2), (4, 2), (5, 3), (9, 3), (10, 4), (16, 4), (17, 5)])
    func columns(count: Int, expected: Int) {
        #expect(GridLayout.columns(for: count) == expected)
    }

    @Test("Grid tiles are equal, even, inside the canvas, apart from each other, and a short last row is centred")
    func gridAreas() {
        #expect(GridLayout.areas(count: 0, width: 1_280, height: 720).isEmpty)
        #expect(GridLayout.areas(count: 1, width: 1_280, height: 720) == [CanvasArea(x: 0, y: 0, width: 1_280, height: 720)])
        #expect(GridLayout.areas(count: 2, width: 1_280, height: 720)
            == [CanvasArea(x: 0, y: 0, width: 640, height: 720), CanvasArea(x: 640, y: 0, width: 640, height: 720)])
        // Three: two above, one centred below.
        #expect(GridLayout.areas(count: 3, width: 1_280, height: 720) == [
            CanvasArea(x: 0, y: 0, width: 640, height: 360), CanvasArea(x: 640, y: 0, width: 640, height: 360),
            CanvasArea(x: 320, y: 360, width: 640, height: 360),
        ])
        for count in 1...25 {
            let areas = GridLayout.areas(count: count, width: 1_280, height: 720)
            #expect(areas.count == count)
            #expect(Set(areas.map(\.width)).count == 1 && Set(areas.map(\.height)).count == 1)
            for area in areas {
                #expect(area.x % 2 == 0 && area.y % 2 == 0 && area.width % 2 == 0 && area.height % 2 == 0, "\(area)")
                #expect(area.x >= 0 && area.y >= 0 && area.x + area.width <= 1_280 && area.y + area.height <= 720, "\(area)")
            }
            for (index, area) in areas.enumerated() {
                for other in areas[(index + 1)...] {
                    let apart = area.x + area.width <= other.x || other.x + other.width <= area.x
                        || area.y + area.height <= other.y || other.y + other.height <= area.y
                    #expect(apart, "\(count) tiles: \(area) overlaps \(other)")
                }
            }
        }
    }

    @Test("Speaker layout: the speaker large across the top, the others in a centred strip below, in order")
    func speakerAreas() {
        #expect(SpeakerLayout.areas(count: 1, speaker: 0, width: 1_280, height: 720) == [CanvasArea(x: 0, y: 0, width: 1_280, height: 720)])
        #expect(SpeakerLayout.areas(count: 3, speaker: 1, width: 1_280, height: 720) == [
            CanvasArea(x: 320, y: 540, width: 320, height: 180), CanvasArea(x: 0, y: 0, width: 1_280, height: 540),
            CanvasArea(x: 640, y: 540, width: 320, height: 180),
        ])
        // Too many for 16:9 tiles: narrower ones, still inside the canvas.
        let crowd = SpeakerLayout.areas(count: 12, speaker: 11, width: 1_280, height: 720)
        #expect(crowd[11] == CanvasArea(x: 0, y: 0, width: 1_280, height: 540))
        #expect(crowd[..<11].allSatisfy { $0.width == 116 && $0.y == 540 && $0.x + $0.width <= 1_280 && $0.x % 2 == 0 })
    }

    @Test("The roster's active speaker: each decision from its time on; nobody before the first")
    func rosterSpeaker() {
        var roster = CompositeRoster()
        #expect(roster.speaker(at: 1) == nil)
        roster.speak("a", at: 2)
        roster.speak("b", at: 5)
        roster.speak(nil, at: 8)
        #expect(roster.speaker(at: 1.9) == nil && roster.speaker(at: 2) == "a" && roster.speaker(at: 6) == "b" && roster.speaker(at: 9) == nil)
        roster.forget(before: 6)
        #expect(roster.speaker(at: 6) == "b")
    }

    @Test("The roster: in order of arrival, from joining until leaving; a participant back later gets a new place")
    func roster() {
        var roster = CompositeRoster()
        roster.join("a", at: 1)
        roster.join("b", at: 2)
        roster.join("a", at: 3)  // already there: nothing changes
        #expect(roster.present(at: 0.5).isEmpty)
        #expect(roster.present(at: 1.5) == ["a"])
        #expect(roster.present(at: 2.5) == ["a", "b"])
        roster.leave("a", at: 4)
        #expect(roster.present(at: 3.9) == ["a", "b"])
        #expect(roster.present(at: 4) == ["b"])
        #expect(roster.stays("a", after: 3.5) && !roster.stays("a", after: 4.5))
        roster.join("a", at: 5)
        #expect(roster.present(at: 5) == ["b", "a"])
        roster.forget(before: 5)
        #expect(roster.present(at: 3.5) == ["b"])
    }

    @Test("Frames are due a latency after their moment, all of them while the thread keeps up")
    func clockKeepsUp() {
        var clock = CompositeFrameClock(framesPerSecond: 30, latency: 1.5)
        #expect(clock.due(now: 1.49).isEmpty)
        #expect(clock.due(now: 1.5) == 0..<1)
        #expect(clock.due(now: 1.5 + 2.5 / 30) == 1..<3)
        #expect(clock.due(now: 1.5 + 2.9 / 30).isEmpty)
        #expect(clock.dropped == 0)
        #expect(clock.time(of: 30) == 1)
    }

    @Test("A thread far behind drops the older frames, counts them and makes only the newest")
    func clockDrops() {
        var clock = CompositeFrameClock(framesPerSecond: 30, latency: 1)
        #expect(clock.due(now: 1) == 0..<1)
        // A second behind: 30 frames due; 29 are dropped.
        #expect(clock.due(now: 2) == 30..<31)
        #expect(clock.dropped == 29)
        // The file opening after an empty room catches up without dropping.
        var opening = CompositeFrameClock(framesPerSecond: 30, latency: 1)
        #expect(opening.due(now: 2, mayDrop: false) == 0..<31 && opening.dropped == 0)
        // At the end, every frame up to the end, whatever the latency.
        #expect(opening.drain(to: 2.5) == 31..<75)
    }
}
