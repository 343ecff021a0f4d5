import Foundation
import Recorder
import Testing

@testable import Worker

/// A run's own clock on its lease: writing stops a margin before the lease would run out, and
/// each renewal moves that on.
@Suite struct LeaseWatchTests {
    @Test func theMarginIsAFifthOfTheLeaseAtLeastAHeartbeatAndAtMostHalf() {
        #expect(LeaseWatch.margin(leaseDuration: .seconds(10), heartbeatInterval: .seconds(2)) == .seconds(2))
        #expect(LeaseWatch.margin(leaseDuration: .seconds(10), heartbeatInterval: .seconds(1)) == .seconds(2))
        #expect(LeaseWatch.margin(leaseDuration: .seconds(10), heartbeatInterval: .seconds(3)) == .seconds(3))
        #expect(LeaseWatch.margin(leaseDuration: .seconds(4), heartbeatInterval: .seconds(3)) == .seconds(2))
    }

    // Only lower bounds on time below: a loaded machine may wake a task late, never early. (The
    // gate's own deadline, read on every write, is what stops writing on time: WriteGateTests.)

    @Test func withoutARenewalTheGateShutsBeforeTheLeaseRunsOut() async throws {
        let claimed = ContinuousClock.now
        let watch = LeaseWatch(leaseDuration: .milliseconds(500), heartbeatInterval: .milliseconds(100), claimedAt: claimed)
        #expect(watch.gate.isOpen)
        #expect(watch.writeDeadline == claimed + .milliseconds(400), "the lease less its margin")
        let unrenewed = try #require(await watch.expiry())
        #expect(!watch.gate.isOpen)
        #expect(ContinuousClock.now - claimed >= .milliseconds(400))
        #expect(unrenewed >= .milliseconds(400))
    }

    @Test func aRenewalMovesTheDeadlineOnAndALateOneCannotReopenTheGate() async throws {
        // Claimed 0.7 s ago under a 1 s lease: writing would stop in 0.1 s (margin 0.2 s).
        let watch = LeaseWatch(leaseDuration: .seconds(1), heartbeatInterval: .milliseconds(100), claimedAt: .now - .milliseconds(700))
        let renewedAt = ContinuousClock.now
        watch.renewed(sentAt: renewedAt)
        #expect(watch.writeDeadline == renewedAt + .milliseconds(800))
        watch.renewed(sentAt: renewedAt - .seconds(1))  // an older renewal answered late moves nothing back
        #expect(watch.writeDeadline == renewedAt + .milliseconds(800))
        _ = await watch.expiry()
        #expect(ContinuousClock.now - renewedAt >= .milliseconds(800), "the renewal, not the claim, set the deadline")
        #expect(!watch.gate.isOpen)
        watch.renewed(sentAt: .now)
        #expect(!watch.gate.isOpen, "the run has stopped writing for good")
    }

    @Test func aCancelledWatchShutsNothing() async {
        // A lease no stall of a loaded test machine outlasts: only the cancellation can end the wait.
        let watch = LeaseWatch(leaseDuration: .seconds(86_400), heartbeatInterval: .seconds(1), claimedAt: .now)
        let expiry = Task { await watch.expiry() }
        expiry.cancel()
        #expect(await expiry.value == nil)
        #expect(watch.gate.isOpen)
    }
}
