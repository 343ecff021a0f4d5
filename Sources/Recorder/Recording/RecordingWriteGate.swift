import Synchronization

/// Whether a recording may still write its folder. Its owner (a worker holding the job by a
/// lease) opens it until a deadline and moves the deadline on while it may write; once it has
/// passed, or the gate is shut, the recording writes nothing more: no frame, no new file, no
/// rename to a final name, no manifest. Files are closed as they are, under their temporary names.
///
/// The deadline is read on every write rather than waited for, so a writer whose owner was slow
/// to notice (a stalled task, a suspended process) still stops on time.
public final class RecordingWriteGate: Sendable {
    private let deadline: Mutex<ContinuousClock.Instant?>
    private let shut = Atomic<Bool>(false)

    /// A gate open with no deadline: what a recording nobody fences has.
    public init() {
        deadline = Mutex(nil)
    }

    /// A gate open until `deadline`.
    public init(openUntil deadline: ContinuousClock.Instant) {
        self.deadline = Mutex(deadline)
    }

    /// Moves the deadline to `later`, if it is later; a shut gate stays shut.
    public func extend(to later: ContinuousClock.Instant) {
        deadline.withLock { current in
            if let existing = current, existing >= later { return }
            current = later
        }
    }

    /// Shuts the gate for good.
    public func close() {
        shut.store(true, ordering: .sequentiallyConsistent)
    }

    /// Whether writing may go on. The first look after the deadline shuts the gate for good: a
    /// writer that saw it shut has closed its files, so a late extension must not reopen it.
    public var isOpen: Bool {
        guard !shut.load(ordering: .sequentiallyConsistent) else { return false }
        guard let deadline = deadline.withLock({ $0 }) else { return true }
        guard ContinuousClock.now < deadline else {
            close()
            return false
        }
        return true
    }
}
