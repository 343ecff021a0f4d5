import Synchronization

/// How many connections the server holds, against `maxConnections`.
final class ConnectionCount: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts a new connection in, unless the server is at `limit`.
    func open(limit: Int) -> Bool {
        var current = count.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = count.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func closed() {
        count.subtract(1, ordering: .relaxed)
    }
}

/// Whether a connection has joined a room (shared by its reader and its join deadline).
final class JoinedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func raise() { value.store(true, ordering: .relaxed) }
    var isRaised: Bool { value.load(ordering: .relaxed) }
}

/// A client that stopped reading did not take its close frame within the grace: its connection
/// is dropped.
struct SlowClientDropped: Error, CustomStringConvertible {
    var description: String { "the client did not read its close frame in time" }
}
