import Recorder
import Synchronization

/// A run's own view of its lease, by its own clock: the lease lasts `leaseDuration` from the
/// moment the last successful claim or renewal was sent, so this run may write its folder until
/// then less a safety `margin` — the time to close its files before another worker could take
/// the job over. Past that, without a renewal, the write gate shuts.
///
/// The store's clock is the wall clock the renewal carried (`now`), set before the request left,
/// so a deadline counted here from the same moment never ends after the store's.
final class LeaseWatch: Sendable {
    let gate: RecordingWriteGate
    let leaseDuration: Duration
    let margin: Duration
    private let confirmedAt: Mutex<ContinuousClock.Instant>

    /// `claimedAt`: just before the claim was asked for.
    init(leaseDuration: Duration, heartbeatInterval: Duration, claimedAt: ContinuousClock.Instant) {
        self.leaseDuration = leaseDuration
        margin = Self.margin(leaseDuration: leaseDuration, heartbeatInterval: heartbeatInterval)
        confirmedAt = Mutex(claimedAt)
        gate = RecordingWriteGate(openUntil: claimedAt + leaseDuration - margin)
    }

    /// At least a heartbeat and a fifth of the lease, at most half of it: a renewal that is only
    /// late does not stop a recording, and there is time left to close the files.
    static func margin(leaseDuration: Duration, heartbeatInterval: Duration) -> Duration {
        min(max(heartbeatInterval, leaseDuration / 5), leaseDuration / 2)
    }

    /// A renewal (or confirmation) sent at `sentAt` succeeded: the lease runs from then.
    func renewed(sentAt: ContinuousClock.Instant) {
        confirmedAt.withLock { $0 = max($0, sentAt) }
        gate.extend(to: sentAt + leaseDuration - margin)
    }

    /// Until when this run may write.
    var writeDeadline: ContinuousClock.Instant { confirmedAt.withLock { $0 } + leaseDuration - margin }

    /// How long ago the last renewal that succeeded was sent.
    var sinceRenewal: Duration { ContinuousClock.now - confirmedAt.withLock { $0 } }

    /// Returns once the write deadline has passed with no renewal moving it, the gate shut; nil
    /// when cancelled first.
    func expiry() async -> Duration? {
        // The gate itself shuts at the deadline, on its first look after it.
        while gate.isOpen {
            do {
                try await Task.sleep(until: writeDeadline, clock: .continuous)
            } catch {
                return nil
            }
        }
        return sinceRenewal
    }
}
