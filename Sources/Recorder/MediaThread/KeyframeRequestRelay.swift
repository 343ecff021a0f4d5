import Foundation

/// Carries a recorder's keyframe requests from the media thread to the participant's event
/// loop, at most one per track every `interval`: a recorder asks on every frame while it waits
/// for a keyframe, and each hop to the event loop costs an allocation.
///
/// Confined to the media thread.
final class KeyframeRequestRelay {
    private let interval: Duration
    private let send: @Sendable (String?) -> Void
    private var lastSent: [String?: ContinuousClock.Instant] = [:]

    init(interval: Duration = .milliseconds(250), send: @escaping @Sendable (String?) -> Void) {
        self.interval = interval
        self.send = send
    }

    func request(mid: String?) {
        let now = ContinuousClock.now
        if let last = lastSent[mid], now - last < interval { return }
        lastSent[mid] = now
        send(mid)
    }
}
