/// Exponential backoff with full jitter between reconnect attempts, so a fleet of bots that lost
/// the same signaling server does not reconnect in lockstep.
public struct ReconnectBackoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    private var attempt = 0

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before the next attempt: a random point in [ceiling/2, ceiling], where the ceiling
    /// doubles with each failed attempt up to `maximum`.
    public mutating func nextDelay<G: RandomNumberGenerator>(using generator: inout G) -> Duration {
        let ceiling = min(initial * (1 << min(attempt, 20)), maximum)
        attempt += 1
        let fraction = Double.random(in: 0.5...1, using: &generator)
        return ceiling * fraction
    }

    public mutating func nextDelay() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return nextDelay(using: &generator)
    }

    public mutating func reset() { attempt = 0 }
}
