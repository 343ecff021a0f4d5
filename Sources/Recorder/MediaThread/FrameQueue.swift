import Foundation
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
/// Frames are taken in batches: the consumer, once a frame waits, lets more gather for up to
/// `gatherInterval` (or until a quarter of the buffers are taken, or a command comes) before it
/// takes them all. Waking it for every frame cost a futex wake and two context switches per frame
/// (a hundred participants: about 8,000 a second); a recording loses nothing by writing 10 ms
/// later.
///
/// `@unchecked Sendable`: `pending`, `free`, `consumer` and which slot is whose are guarded by `condition`; a
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

    /// How the consumer waits, so that a producer knows whether to wake it.
    private enum ConsumerState {
        case busy
        /// Nothing waits: the next entry wakes it.
        case waitingForAny
        /// Frames wait and more may gather: only a command or a full enough queue wakes it.
        case gathering
    }

    let capacity: Int
    /// The most frame bytes that may wait at once.
    let byteCapacity: Int
    /// How long the consumer lets frames gather once one waits.
    let gatherInterval: Duration
    /// Frames waiting that wake a gathering consumer at once.
    private let wakeThreshold: Int
    private let slots: UnsafeMutablePointer<Slot>
    private var waitingBytes = 0
    private let condition = NSCondition()
    private var consumer = ConsumerState.busy
    private var pending: CircularBuffer<Entry>
    private var pendingCommands = 0
    private var free: [Int]

    /// `capacity` frames and `byteCapacity` bytes at most wait at once.
    init(capacity: Int, byteCapacity: Int = 64 << 20, gatherInterval: Duration = .milliseconds(10)) {
        self.capacity = max(1, capacity)
        self.byteCapacity = byteCapacity
        self.gatherInterval = gatherInterval
        wakeThreshold = max(1, self.capacity / 4)
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
        condition.lock()
        guard waitingBytes + bytes.count <= byteCapacity, let index = free.popLast() else {
            condition.unlock()
            return false
        }
        waitingBytes += bytes.count
        condition.unlock()
        // The slot is this producer's alone until it is pending: the copy needs no lock.
        slots[index].participant = participant
        slots[index].frame = frame
        slots[index].bytes.removeAll(keepingCapacity: true)
        slots[index].bytes.append(contentsOf: bytes)
        slots[index].droppedBefore = droppedBefore
        append(.frame(slot: index))
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
        condition.lock()
        pending.append(entry)
        let isFrame: Bool
        if case .frame = entry { isFrame = true } else { isFrame = false }
        if !isFrame { pendingCommands += 1 }
        switch consumer {
        case .busy: break
        case .waitingForAny: condition.signal()
        case .gathering: if !isFrame || pending.count >= wakeThreshold { condition.signal() }
        }
        condition.unlock()
    }

    /// Media thread only: waits for entries and moves them all into `batch`. Returns as soon as
    /// a command waits; frames alone are left to gather for `gatherInterval` from when the first
    /// of them was seen, or until a quarter of the buffers wait.
    func takeAll(into batch: inout [Entry]) {
        condition.lock()
        while pending.isEmpty {
            consumer = .waitingForAny
            condition.wait()
        }
        if pendingCommands == 0, pending.count < wakeThreshold {
            let until = Date(timeIntervalSinceNow: gatherInterval.seconds)
            consumer = .gathering
            while pendingCommands == 0, pending.count < wakeThreshold, condition.wait(until: until) {}
        }
        consumer = .busy
        while let entry = pending.popFirst() { batch.append(entry) }
        pendingCommands = 0
        condition.unlock()
    }

    /// Media thread only: the slot of a `.frame` entry taken with `takeAll`, until `release`.
    func slot(_ index: Int) -> UnsafeMutablePointer<Slot> { slots + index }

    /// Media thread only: gives the slots of a processed batch back to the producers.
    func release(_ batch: [Entry]) {
        condition.lock()
        for case .frame(let index) in batch {
            slots[index].frame = nil
            waitingBytes -= slots[index].bytes.count
            free.append(index)
        }
        condition.unlock()
    }

    /// How many frames wait now (for tests and figures).
    var waitingFrames: Int {
        condition.lock()
        defer { condition.unlock() }
        return capacity - free.count
    }
}
