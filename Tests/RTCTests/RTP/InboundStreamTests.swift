@testable import RTC
import Testing

@Suite("Inbound stream: keyframe requests by FIR where PLI was not negotiated")
struct InboundStreamTests {
    @Test("FIR goes out with a command sequence number that grows with each request, throttled")
    func fullIntraRequest() {
        let start = ContinuousClock.now
        let description = InboundStreamDescription(sectionIndex: 0, mid: "1", codec: .vp8, payloadType: 96, clockRate: 90_000,
                                                   nack: true, retransmitsOnRTX: true, pli: false, fir: true)
        let stream = InboundStream(ssrc: 5, description: description, timeline: ContinuousTrackTimeline(clockRate: 90_000),
                                   tuning: ReceiverTuning(), now: start)
        guard case .fir(let first) = stream.takeKeyframeRequest(now: start) else {
            Issue.record("no FIR at the start of the stream")
            return
        }
        stream.requestKeyframe(now: start + .milliseconds(100))
        #expect(stream.takeKeyframeRequest(now: start + .milliseconds(100)) == nil, "throttled to one a second")
        guard case .fir(let second) = stream.takeKeyframeRequest(now: start + .seconds(1)) else {
            Issue.record("no FIR after the interval")
            return
        }
        #expect(second == first &+ 1)
        #expect(stream.stats.firsSent == 2)
        #expect(stream.stats.plisSent == 0)
    }

    @Test("an audio stream never asks for keyframes")
    func audio() {
        let start = ContinuousClock.now
        let description = InboundStreamDescription(sectionIndex: 0, mid: "0", codec: .opus, payloadType: 111, clockRate: 48_000,
                                                   nack: false, retransmitsOnRTX: false, pli: true, fir: true)
        let stream = InboundStream(ssrc: 6, description: description, timeline: ContinuousTrackTimeline(clockRate: 48_000),
                                   tuning: ReceiverTuning(), now: start)
        stream.requestKeyframe(now: start)
        #expect(stream.takeKeyframeRequest(now: start + .seconds(2)) == nil)
    }
}
