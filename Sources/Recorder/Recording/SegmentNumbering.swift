import Synchronization

/// Numbers each participant's segments across the whole recording: a participant who leaves and
/// comes back (a new connection, the same name) carries on at the next number, so their files
/// never collide. Shared by the participants' recorders on their event loops.
final class SegmentNumbering: Sendable {
    private let last = Mutex<[String: Int]>([:])

    func next(for participant: String) -> Int {
        last.withLock { numbers in
            let number = (numbers[participant] ?? 0) + 1
            numbers[participant] = number
            return number
        }
    }
}
