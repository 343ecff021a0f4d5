@testable import Recorder
import Testing

@Suite("How far a track's frames reach")
struct TrackExtentTests {
    @Test("Audio reaches the end of its last samples, whatever order the frames came in")
    func audio() {
        var extent = TrackExtent(ticksPerSecond: 48_000)
        #expect(extent.end == nil)
        extent.noteAudio(pts: 960, duration: 960)
        extent.noteAudio(pts: 0, duration: 960)
        #expect(extent.end == 1_920)
    }

    @Test("The last video frame lasts as long as the interval before it, but not as long as a freeze")
    func video() {
        var extent = TrackExtent(ticksPerSecond: 90_000)
        extent.noteVideo(pts: 0)
        #expect(extent.end == 0)
        extent.noteVideo(pts: 3_000)
        #expect(extent.end == 6_000)
        extent.noteVideo(pts: 453_000)  // after a 5 s freeze: shown for at most 100 ms
        #expect(extent.end == 462_000)
        extent.noteVideo(pts: 450_000)  // late: reaches no further
        #expect(extent.end == 462_000)
    }
}
