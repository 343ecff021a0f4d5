import Foundation

/// When a webhook event whose delivery failed is tried again: after `firstDelay`, doubling after
/// each further failure up to `maximumDelay`, for as long as the event is younger than
/// `maximumAge`; after that it is given up. The defaults outlast a receiver down for a day, and
/// once it is back an event waits at most `maximumDelay` for its next attempt.
public struct WebhookRetryPolicy: Sendable, Equatable {
    public var firstDelay: Duration = .seconds(1)
    public var maximumDelay: Duration = .seconds(300)
    public var maximumAge: Duration = .seconds(24 * 3_600)

    public init() {}

    /// The wait after the `attempt`th failed attempt (1 for the first).
    public func delay(afterAttempt attempt: Int) -> Duration {
        // Doubling a Double: 2^60 seconds is far past any maximum, and never overflows.
        let seconds = firstDelay.seconds * pow(2, Double(min(max(attempt - 1, 0), 60)))
        return .seconds(min(seconds, maximumDelay.seconds))
    }

    /// When to try an event created at `createdAt` again after its `attempt`th attempt failed at
    /// `now`; nil when that would be past its maximum age (give it up).
    public func retryTime(afterAttempt attempt: Int, createdAt: Date, now: Date) -> Date? {
        let retryAt = now.addingTimeInterval(delay(afterAttempt: attempt).seconds)
        return retryAt.timeIntervalSince(createdAt) > maximumAge.seconds ? nil : retryAt
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
