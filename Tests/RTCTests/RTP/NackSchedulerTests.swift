@testable import RTC
import Testing

@Suite("NACK scheduling: reorder delay, retries, cap, forgetting")
struct NackSchedulerTests {
    let start = ContinuousClock.now

    private func due(_ scheduler: inout NackScheduler, at offset: Duration) -> [UInt16] {
        var list: [UInt16] = []
        scheduler.collectDue(now: start + offset, into: &list)
        return list
    }

    @Test("a missing packet is asked for only after the reorder delay, then at the retry interval")
    func timing() {
        var scheduler = NackScheduler(capacity: 64, reorderDelay: .milliseconds(10), maxRequestsPerPacket: 3,
                                      minimumRetryInterval: .milliseconds(20))
        scheduler.markMissing(65_540 ..< 65_542, now: start)
        #expect(due(&scheduler, at: .milliseconds(5)).isEmpty)
        #expect(scheduler.nextDue == start + .milliseconds(10))
        #expect(due(&scheduler, at: .milliseconds(10)) == [4, 5], "16-bit values on the wire")
        #expect(due(&scheduler, at: .milliseconds(20)).isEmpty)
        let retry = scheduler.retryInterval
        #expect(due(&scheduler, at: .milliseconds(10) + retry) == [4, 5])
        #expect(due(&scheduler, at: .milliseconds(10) + retry * 2) == [4, 5])
        #expect(due(&scheduler, at: .milliseconds(10) + retry * 3).isEmpty, "capped at three requests")
        #expect(scheduler.nextDue == nil)
    }

    @Test("an arrival after a request counts as recovered; one before any request does not")
    func recovery() {
        var scheduler = NackScheduler(capacity: 64)
        scheduler.markMissing(10 ..< 12, now: start)
        let reordered = scheduler.markArrived(10, now: start + .milliseconds(5))
        #expect(!reordered, "only reordered")
        _ = due(&scheduler, at: .milliseconds(10))
        let recovered = scheduler.markArrived(11, now: start + .milliseconds(40))
        #expect(recovered)
        #expect(scheduler.missingCount == 0)
        let again = scheduler.markArrived(11, now: start + .milliseconds(41))
        #expect(!again)
    }

    @Test("given-up packets are forgotten and never asked for again")
    func forget() {
        var scheduler = NackScheduler(capacity: 64)
        scheduler.markMissing(10 ..< 20, now: start)
        scheduler.forget(before: 15)
        #expect(scheduler.missingCount == 5)
        #expect(due(&scheduler, at: .milliseconds(50)) == [15, 16, 17, 18, 19])
    }

    @Test("a burst longer than the window keeps only its newest part")
    func burst() {
        var scheduler = NackScheduler(capacity: 8)
        scheduler.markMissing(0 ..< 100, now: start)
        #expect(scheduler.missingCount == 8)
        #expect(due(&scheduler, at: .milliseconds(50)) == Array(92 ..< 100))
    }
}
