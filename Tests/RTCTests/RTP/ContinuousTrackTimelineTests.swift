@testable import RTC
import Testing

@Suite("Track timeline: continuous across publisher restarts and timestamp jumps")
struct TrackTimelineTests {
    let start = ContinuousClock.now

    @Test("a new SSRC with a new timestamp base continues the timeline by the wall time that passed")
    func restart() {
        let timeline = ContinuousTrackTimeline(clockRate: 90_000)
        #expect(timeline.position(ssrc: 1, rtpTimestamp: 1_000_000, arrival: start) == 0)
        #expect(timeline.position(ssrc: 1, rtpTimestamp: 1_090_000, arrival: start + .seconds(1)) == 90_000)
        // The publisher reconnects 2 s later with a random timestamp base.
        let resumed = timeline.position(ssrc: 2, rtpTimestamp: 7_777, arrival: start + .seconds(3))
        #expect(resumed == 270_000)
        #expect(timeline.position(ssrc: 2, rtpTimestamp: 7_777 + 3_000, arrival: start + .milliseconds(3_033)) == 273_000)
        #expect(timeline.discontinuities == 1)
    }

    @Test("a timestamp jump far from the elapsed wall time is re-anchored; a pause is not a jump")
    func jump() {
        let timeline = ContinuousTrackTimeline(clockRate: 48_000)
        _ = timeline.position(ssrc: 1, rtpTimestamp: 0, arrival: start)
        // A 30 s pause in sending: RTP time and wall time agree.
        #expect(timeline.position(ssrc: 1, rtpTimestamp: 30 * 48_000, arrival: start + .seconds(30)) == 30 * 48_000)
        // Then a jump of 10 hours of RTP time in 20 ms of wall time.
        let jumped = timeline.position(ssrc: 1, rtpTimestamp: 30 * 48_000 + 36_000 * 48_000, arrival: start + .milliseconds(30_020))
        #expect(jumped == 30 * 48_000 + 960)
        #expect(timeline.discontinuities == 1)
    }
}
