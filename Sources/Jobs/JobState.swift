/// Where a recording job is in its life. A job moves forward only:
/// `scheduled → queued → joining → recording → finalizing → completed | failed | cancelled`,
/// except that a running job whose worker died (its lease expired) goes back to `queued`.
public enum JobState: String, Codable, Sendable, CaseIterable, Comparable {
    /// Waiting for its `start_at`.
    case scheduled
    /// Due, waiting for a worker with room for it.
    case queued
    /// A worker holds it and is joining the room.
    case joining
    /// Files are being written.
    case recording
    /// The recording ended; its files are being closed.
    case finalizing
    case completed
    case failed
    case cancelled

    /// A terminal job never changes again.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .cancelled: true
        default: false
        }
    }

    /// A worker holds the job under a lease.
    public var isRunning: Bool {
        switch self {
        case .joining, .recording, .finalizing: true
        default: false
        }
    }

    private var order: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: JobState, rhs: JobState) -> Bool { lhs.order < rhs.order }

    /// Whether a job may move from this state to `next`.
    public func canMove(to next: JobState) -> Bool {
        if isTerminal { return false }
        if next == .cancelled || next == .failed { return true }
        if next == .queued { return self == .scheduled || isRunning }  // due, or its worker died
        if next == .completed { return self == .finalizing }
        return next > self
    }
}
