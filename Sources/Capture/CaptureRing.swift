import Synchronization

/// A byte ring with one writer and one reader on different threads and no lock: the receive
/// path (a connection's event loop) writes whole capture blocks in, the capture thread takes
/// them out and writes them to disk. A block that does not fit is dropped and counted, never
/// waited for: the event loop must not stall on a slow disk.
///
/// Positions only grow; a position's byte is at `position & mask`. The writer publishes its end
/// with a release store after the bytes are in, the reader its start after they are out.
public final class CaptureRing: @unchecked Sendable {  // the storage is shared by the protocol above
    public let capacity: Int
    private let mask: Int
    private let storage: UnsafeMutableRawBufferPointer
    /// Where the reader is: bytes before it may be overwritten.
    private let start = Atomic<Int>(0)
    /// Where the writer is: bytes before it are whole blocks.
    private let end = Atomic<Int>(0)
    private let droppedBlocks = Atomic<Int>(0)
    private let writtenBlocks = Atomic<Int>(0)

    /// - Parameter capacity: rounded up to a power of two.
    public init(capacity: Int) {
        var size = 1024
        while size < capacity { size <<= 1 }
        self.capacity = size
        mask = size - 1
        storage = .allocate(byteCount: size, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Blocks that found no room, so far.
    public var dropped: Int { droppedBlocks.load(ordering: .relaxed) }
    /// Blocks put in, so far.
    public var written: Int { writtenBlocks.load(ordering: .relaxed) }

    /// Writer: reserves `length` bytes, lets `fill` write exactly that many, publishes them.
    /// Returns false (and counts a drop) when there is no room.
    @discardableResult
    public func write(length: Int, _ fill: (inout Reservation) -> Void) -> Bool {
        let writeAt = end.load(ordering: .relaxed)
        guard length <= capacity - (writeAt - start.load(ordering: .acquiring)) else {
            droppedBlocks.add(1, ordering: .relaxed)
            return false
        }
        var reservation = Reservation(storage: storage, mask: mask, position: writeAt)
        fill(&reservation)
        precondition(reservation.position == writeAt + length, "a capture block was not the length it promised")
        end.store(writeAt + length, ordering: .releasing)
        writtenBlocks.add(1, ordering: .relaxed)
        return true
    }

    /// Reader: hands the bytes written so far to `consume` (in at most two pieces, as they lie
    /// in the ring), then frees them. Returns how many bytes there were.
    @discardableResult
    public func drain(_ consume: (UnsafeRawBufferPointer) -> Void) -> Int {
        let from = start.load(ordering: .relaxed)
        let to = end.load(ordering: .acquiring)
        guard to > from else { return 0 }
        let first = from & mask
        let count = to - from
        let tillEnd = min(count, capacity - first)
        consume(UnsafeRawBufferPointer(rebasing: storage[first ..< first + tillEnd]))
        if tillEnd < count { consume(UnsafeRawBufferPointer(rebasing: storage[0 ..< count - tillEnd])) }
        start.store(to, ordering: .releasing)
        return count
    }

    /// Room reserved for one block; writes wrap around the ring's end.
    public struct Reservation: PcapngByteSink {
        let storage: UnsafeMutableRawBufferPointer
        let mask: Int
        var position: Int

        public mutating func appendFileOrder(_ value: UInt32) {
            var little = value.littleEndian
            withUnsafeBytes(of: &little) { append($0) }
        }

        public mutating func appendBigEndian(_ value: UInt32) {
            var big = value.bigEndian
            withUnsafeBytes(of: &big) { append($0) }
        }

        public mutating func append(_ bytes: UnsafeRawBufferPointer) {
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            let at = position & mask
            let tillEnd = min(bytes.count, storage.count - at)
            (storage.baseAddress! + at).copyMemory(from: source, byteCount: tillEnd)
            if tillEnd < bytes.count {
                storage.baseAddress!.copyMemory(from: source + tillEnd, byteCount: bytes.count - tillEnd)
            }
            position += bytes.count
        }

        public mutating func appendZeros(_ count: Int) {
            for _ in 0 ..< count {
                storage[position & mask] = 0
                position += 1
            }
        }
    }
}
