import RTC

/// The one clock both test-signal streams count from: its start on the monotonic clock and on
/// the wall clock. RTP timestamps of audio and video are both offsets from it, and sender reports
/// map them to wall-clock time through it, so the streams stay in sync with each other and with
/// the receiver's idea of when they were sent.
struct MediaEpoch: Sendable {
    let start: ContinuousClock.Instant
    let wallClock: WallClockReference

    init(start: ContinuousClock.Instant, unixSeconds: Double) {
        self.start = start
        wallClock = WallClockReference(instant: start, unixSeconds: unixSeconds)
    }

    /// The instant `ticks` of a `rate` Hz clock after the start (before it, for negative ticks).
    func instant(ticks: Int64, rate: Int) -> ContinuousClock.Instant {
        // Whole seconds apart, so that days of 48 kHz ticks never overflow the nanoseconds.
        let rate = Int64(rate)
        return start + .seconds(ticks / rate) + .nanoseconds(ticks % rate * 1_000_000_000 / rate)
    }
}
