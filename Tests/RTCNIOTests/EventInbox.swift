import Synchronization

/// The events a driver pushed from its endpoint (`UDPEndpointDriver.start`'s `onEvent`), kept for
/// a test to take from any thread.
final class EventInbox<Event: Sendable>: Sendable {
    private let received = Mutex<[Event]>([])

    func record(_ event: Event) {
        received.withLock { $0.append(event) }
    }

    /// Everything recorded since the last take.
    func take() -> [Event] {
        received.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }
}
