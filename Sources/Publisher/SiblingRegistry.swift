import Synchronization

/// The signaling ids of one process's synthetic participants. They never connect to each other:
/// a publisher has nothing to receive, so it neither offers to nor answers a sibling.
final class SiblingRegistry: Sendable {
    private let ids = Mutex<Set<String>>([])

    func add(_ id: String) { ids.withLock { _ = $0.insert(id) } }

    func contains(_ id: String) -> Bool { ids.withLock { $0.contains(id) } }
}
