/// What a sans-IO endpoint has for its driver and its owner: one item per `poll()`. Datagrams
/// to send and events for the owner come first, one at a time, until none is left; then when
/// to wake the endpoint next, which ends the round (nil: only input will).
///
/// Frames are not among them: they leave while input is handled, through the connection's
/// frame callback, in place (`PeerConnection.onFrame`), so that a frame is never copied to be
/// queued here; the callback answers instead of calling back into the connection.
public enum EndpointOutput<Event> {
    case transmit(IceTransmit)
    case event(Event)
    case wakeUp(at: ContinuousClock.Instant?)
}

extension DatagramEndpoint {
    /// Polls until the wake-up: the transmits and the events in the order they came, and when to
    /// wake the endpoint. For drivers that take a round's output at once (simulations,
    /// benchmarks); it allocates, the event-loop driver polls item by item.
    public func pollAll() -> (transmits: [IceTransmit], events: [Event], wakeUp: ContinuousClock.Instant?) {
        var transmits: [IceTransmit] = [], events: [Event] = []
        while true {
            switch poll() {
            case .transmit(let transmit): transmits.append(transmit)
            case .event(let event): events.append(event)
            case .wakeUp(let at): return (transmits, events, at)
            }
        }
    }
}
