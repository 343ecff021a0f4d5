import NIOCore

/// The instants an RTC event loop wakes at for work that can wait a few milliseconds: the shared
/// port's reads and the peers' timers. Each is rounded up to the next multiple of `interval` on
/// the monotonic clock, so the port's reads and a hundred peers' timers fall due together and the
/// loop wakes once for all of them, at most `1 / interval` times a second, instead of once for
/// each readiness and each peer.
///
/// Nothing in WebRTC needs finer timing than this from a receiver: ICE paces its checks 50 ms
/// apart, NACKs wait a round trip, reports go out every second, and a file is written the same
/// whether a packet was read now or 5 ms later.
enum LoopTick {
    static let interval = TimeAmount.milliseconds(5)

    /// The first grid instant at least `delay` from now (later than now when `delay` is zero).
    static func deadline(in delay: TimeAmount) -> NIODeadline {
        let target = (NIODeadline.now() + max(delay, .zero)).uptimeNanoseconds
        let step = UInt64(interval.nanoseconds)
        return .uptimeNanoseconds((target / step + 1) * step)
    }
}
