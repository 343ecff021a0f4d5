import NIOConcurrencyHelpers
import NIOCore
import RTC

/// The bounded hand-over from a recording's I/O event loops to its media thread: frames in a
/// fixed pool of reused buffers (nothing is allocated per frame once each buffer has grown to
/// the largest frame it carried), and commands (a participant joins, a report, the end) in the
/// same order as the frames around them.
///
/// Many producers (the participants' event loops), one consumer (`MediaThread`). A producer
/// that finds every buffer taken gets `false` from `push`, and decides what to drop
/// (`FrameFeed`); a command is never refused.
///
/// `@unchecked Sendable`: `pending`, `free` and which slot is whose are guarded by `lock`; a
/// slot's contents are written by the producer that took it from `free` (under the lock) and
/// read by the consumer once it is in `pending`, until the consumer gives it back, so no slot is
/// ever touched by two threads at once.
final class FrameQueue: @unchecked Sendable {
    enum Entry {
        /// A frame in `slot`.
        case frame(slot: Int)
        /// Runs on the media thread, in order with the frames.
        case command(@Sendable () -> Void)
        /// The media thread ends once it reaches this.
        case stop
    }

    /// One pooled frame: which participant sent it, the frame, its bytes, and how many of that
    /// track's frames were dropped just before it.
    struct Slot {
        var participant = 0
        var frame: MediaFrame?
        var bytes: [UInt8] = []
        var droppedBefore = 0
    }

    let capacity: Int
    /// The most frame bytes that may wait at once.
    let byteCapacity: Int
    private let slots: UnsafeMutablePointer<Slot>
    private var waitingBytes = 0
    /// 0: nothing pending; 1: entries wait for the consumer.
    private let lock = ConditionLock(value: 0)
    private var pending: CircularBuffer<Entry>
    private var free: [Int]

    /// `capacity` frames and `byteCapacity` bytes at most wait at once.
    init(capacity: Int, byteCapacity: Int = 64 << 20) {
        self.capacity = max(1, capacity)
        self.byteCapacity = byteCapacity
        slots = .allocate(capacity: self.capacity)
        slots.initialize(repeating: Slot(), count: self.capacity)
        pending = CircularBuffer(initialCapacity: self.capacity + 16)
        free = Array((0..<self.capacity).reversed())
    }

    deinit {
        slots.deinitialize(count: capacity)
        slots.deallocate()
    }

    /// Copies a frame in for the media thread. False when every buffer is taken: the media
    /// thread is behind, and the frame is the caller's to drop.
    func push(participant: Int, frame: MediaFrame, bytes: UnsafeRawBufferPointer, droppedBefore: Int) -> Bool {
        lock.lock()
        guard waitingBytes + bytes.count <= byteCapacity, let index = free.popLast() else {
            lock.unlock()
            return false
        }
        waitingBytes += bytes.count
        slots[index].participant = participant
        slots[index].frame = frame
        slots[index].bytes.removeAll(keepingCapacity: true)
        slots[index].bytes.append(contentsOf: bytes)
        slots[index].droppedBefore = droppedBefore
        pending.append(.frame(slot: index))
        lock.unlock(withValue: 1)
        return true
    }

    /// Queues a command behind the frames already pushed.
    func push(_ command: @escaping @Sendable () -> Void) {
        append(.command(command))
    }

    /// Asks the media thread to end once everything before has run.
    func pushStop() {
        append(.stop)
    }

    private func append(_ entry: Entry) {
        lock.lock()
        pending.append(entry)
        lock.unlock(withValue: 1)
    }

    /// Media thread only: waits for entries and moves them all into `batch`.
    func takeAll(into batch: inout [Entry]) {
        lock.lock(whenValue: 1)
        while let entry = pending.popFirst() { batch.append(entry) }
        lock.unlock(withValue: 0)
    }

    /// Media thread only: the slot of a `.frame` entry taken with `takeAll`, until `release`.
    func slot(_ index: Int) -> UnsafeMutablePointer<Slot> { slots + index }

    /// Media thread only: gives the slots of a processed batch back to the producers.
    func release(_ batch: [Entry]) {
        lock.lock()
        for case .frame(let index) in batch {
            slots[index].frame = nil
            waitingBytes -= slots[index].bytes.count
            free.append(index)
        }
        lock.unlock(withValue: pending.isEmpty ? 0 : 1)
    }

    /// How many frames wait now (for tests and figures).
    var waitingFrames: Int {
        lock.lock()
        defer { lock.unlock() }
        return capacity - free.count
    }
}
