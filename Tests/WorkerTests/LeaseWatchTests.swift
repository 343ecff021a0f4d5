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

    @Test func withoutARenewalTheGateShutsBeforeTheLeaseRunsOut() async throws {
        let claimed = ContinuousClock.now
        let watch = LeaseWatch(leaseDuration: .milliseconds(500), heartbeatInterval: .milliseconds(100), claimedAt: claimed)
        #expect(watch.gate.isOpen)
        let unrenewed = try #require(await watch.expiry())
        let stopped = ContinuousClock.now - claimed
        #expect(!watch.gate.isOpen)
        // At 400 ms (the lease less its 100 ms margin); a loaded machine may wake the watch late,
        // but the gate's own deadline has shut it by then (RecordingWriteGate checks it on every write).
        #expect(stopped >= .milliseconds(400) && stopped < .seconds(2), "\(stopped)")
        #expect(unrenewed >= .milliseconds(400))
    }

    @Test func eachRenewalMovesTheDeadlineOn() async throws {
        let claimed = ContinuousClock.now
        // Writing stops 1.6 s after the last renewal: room for a loaded machine's late wake-ups.
        let watch = LeaseWatch(leaseDuration: .seconds(2), heartbeatInterval: .milliseconds(200), claimedAt: claimed)
        let expiry = Task { await watch.expiry() }
        for _ in 0..<5 {
            try await Task.sleep(for: .milliseconds(400))
            watch.renewed(sentAt: .now)
        }
        let renewedLast = ContinuousClock.now
        #expect(ContinuousClock.now - claimed >= .seconds(2))
        #expect(watch.gate.isOpen, "renewed every 400 ms: still writing past the first lease")
        _ = await expiry.value
        #expect(!watch.gate.isOpen)
        #expect(ContinuousClock.now - renewedLast >= .milliseconds(1_500))
        // A renewal that comes back after the deadline was sent before it: it cannot reopen the gate.
        watch.renewed(sentAt: renewedLast)
        #expect(!watch.gate.isOpen)
    }

    @Test func aCancelledWatchShutsNothing() async {
        let watch = LeaseWatch(leaseDuration: .seconds(60), heartbeatInterval: .seconds(1), claimedAt: .now)
        let expiry = Task { await watch.expiry() }
        expiry.cancel()
        #expect(await expiry.value == nil)
        #expect(watch.gate.isOpen)
    }
}
