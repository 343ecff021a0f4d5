/// Keyframe requests (PLI, or FIR) for one video stream: asked for at the start of the stream,
/// after a frame could not be completed, or by the writer; sent at most once per `interval`,
/// and again if no keyframe came in that time.
struct KeyframeRequestThrottle {
    let interval: Duration
    private(set) var isPending = false
    private(set) var lastSent: ContinuousClock.Instant?
    private var requestedAt: ContinuousClock.Instant?

    init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    mutating func request(now: ContinuousClock.Instant) {
        if !isPending { requestedAt = now }
        isPending = true
    }

    mutating func keyframeArrived() { isPending = false }

    /// When the next request may go out, or nil when none is wanted.
    var nextDue: ContinuousClock.Instant? {
        guard isPending else { return nil }
        guard let lastSent else { return requestedAt }
        return max(lastSent + interval, requestedAt ?? lastSent)
    }

    /// Whether a request is due now; if so it counts as sent.
    mutating func takeDue(now: ContinuousClock.Instant) -> Bool {
        guard isPending, lastSent.map({ now - $0 >= interval }) ?? true else { return false }
        lastSent = now
        return true
    }
}
