/// A secret a job carries to its worker (a room token, a TURN credential): kept by the store,
/// used by the worker, and shown nowhere else. Its description, debug description and mirror
/// are redacted, so a job or spec interpolated into a log line or a test failure does not leak
/// it, and it is not `Codable`: the job's JSON (API responses, webhook bodies) cannot carry it
/// by accident.
public struct SecretText: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself, for the one place that must send it (the signaling join, TURN).
    public let revealed: String

    public init(_ revealed: String) {
        self.revealed = revealed
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
