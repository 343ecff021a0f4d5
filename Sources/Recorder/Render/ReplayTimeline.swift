import RTC

/// The clock a render runs on: captured arrival times (Unix nanoseconds) become instants a fixed
/// distance from `origin`, so the pipeline's timers and the recorder's wall clock see the call as
/// it happened, however fast it is replayed.
struct ReplayTimeline: Sendable {
    /// The earliest arrival of the recording's captures.
    let originNanoseconds: Int64
    private let base: ContinuousClock.Instant

    init(originNanoseconds: Int64, base: ContinuousClock.Instant = .now) {
        self.originNanoseconds = originNanoseconds
        self.base = base
    }

    func instant(unixNanoseconds: Int64) -> ContinuousClock.Instant {
        base.advanced(by: .nanoseconds(unixNanoseconds - originNanoseconds))
    }

    /// When a replay that last read a packet of `lastNanoseconds` (none: nil) finishes.
    func end(afterLastPacketAt lastNanoseconds: Int64?) -> ContinuousClock.Instant {
        instant(unixNanoseconds: lastNanoseconds ?? originNanoseconds)
    }

    /// For the recorder: instants back to Unix seconds.
    var wallClock: WallClockReference {
        WallClockReference(instant: base, unixSeconds: Double(originNanoseconds) / 1e9)
    }
}
