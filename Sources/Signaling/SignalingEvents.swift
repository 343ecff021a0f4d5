import Synchronization

/// What a `SignalingClient` received, in order, for its owner: one iteration at a time, like the
/// `AsyncStream` underneath. Taking an event frees its place in the sender's backlog.
public struct SignalingEvents: AsyncSequence, Sendable {
    public typealias Element = SignalingEvent
    public typealias Failure = Never

    let stream: AsyncStream<SignalingEvent>
    let backlog: SharedSignalingBacklog

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator(), backlog: backlog)
    }

    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = SignalingEvent
        public typealias Failure = Never

        var base: AsyncStream<SignalingEvent>.Iterator
        let backlog: SharedSignalingBacklog

        public mutating func next(isolation actor: isolated (any Actor)?) async -> SignalingEvent? {
            let event = await base.next(isolation: actor)
            if let event { backlog.state.withLock { $0.taken(event) } }
            return event
        }

        public mutating func next() async -> SignalingEvent? {
            await next(isolation: nil)
        }
    }
}

/// The backlog shared by the client, which admits events, and the iterator, which takes them.
final class SharedSignalingBacklog: Sendable {
    let state: Mutex<SignalingBacklog>

    init(limit: Int) {
        state = Mutex(SignalingBacklog(limit: limit))
    }
}
