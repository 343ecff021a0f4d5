import Foundation
import Testing

@testable import Worker

@Suite struct WebhookRetryPolicyTests {
    @Test func theWaitDoublesFromOneSecondUpToTheMaximum() {
        let policy = WebhookRetryPolicy()
        #expect((1...6).map { policy.delay(afterAttempt: $0) } == [1, 2, 4, 8, 16, 32].map { Duration.seconds($0) })
        #expect(policy.delay(afterAttempt: 9) == .seconds(256) && policy.delay(afterAttempt: 10) == .seconds(300))
        #expect(policy.delay(afterAttempt: 5_000) == .seconds(300), "no overflow however many attempts")
    }

    @Test func anEventIsRetriedUntilItsMaximumAgeThenGivenUp() {
        var policy = WebhookRetryPolicy()
        policy.maximumAge = .seconds(3_600)
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(policy.retryTime(afterAttempt: 1, createdAt: created, now: created) == created.addingTimeInterval(1))
        let late = created.addingTimeInterval(3_300)
        #expect(policy.retryTime(afterAttempt: 20, createdAt: created, now: late) == late.addingTimeInterval(300),
                "a retry that still falls within the age")
        #expect(policy.retryTime(afterAttempt: 20, createdAt: created, now: created.addingTimeInterval(3_500)) == nil,
                "one that would fall after it: given up")
    }
}
