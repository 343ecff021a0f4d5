import NIOCore
@testable import RTCNIO
import Testing

/// The loop's ticks: every deadline handed out is on the 5 ms grid, no earlier than asked and
/// less than one tick later — so timers asked for at different moments within a tick fall due
/// together.
@Suite("Loop ticks")
struct LoopTickTests {
    private let step = UInt64(LoopTick.interval.nanoseconds)

    @Test("on the grid, no earlier than asked, under a tick later", arguments: [0, 1, 999_999, 4_999_999, 5_000_000, 37_000_001, 1_000_000_000])
    func onTheGrid(delayNanoseconds: Int64) {
        let before = NIODeadline.now().uptimeNanoseconds
        let deadline = LoopTick.deadline(in: .nanoseconds(delayNanoseconds)).uptimeNanoseconds
        let after = NIODeadline.now().uptimeNanoseconds
        #expect(deadline % step == 0)
        #expect(deadline > before + UInt64(delayNanoseconds))
        #expect(deadline <= after + UInt64(delayNanoseconds) + step)
    }

    @Test("a negative delay is due at the next tick")
    func negativeDelay() {
        let before = NIODeadline.now().uptimeNanoseconds
        let deadline = LoopTick.deadline(in: .milliseconds(-30)).uptimeNanoseconds
        #expect(deadline % step == 0)
        #expect(deadline > before)
        #expect(deadline <= NIODeadline.now().uptimeNanoseconds + step)
    }

    @Test("deadlines asked for within one tick fall due together")
    func coalesce() {
        // Asked one after the other, for now and for a microsecond later: the same tick, unless
        // a grid line falls in that microsecond or between the two calls.
        var same = 0
        for _ in 0..<50 {
            let a = LoopTick.deadline(in: .zero), b = LoopTick.deadline(in: .microseconds(1))
            if a == b { same += 1 }
        }
        #expect(same >= 45)
    }
}
