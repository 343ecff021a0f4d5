/// Storage for the packets of one stream that wait in the reorder buffer, addressed by extended
/// sequence number modulo the capacity.
///
/// The slots' descriptions are fixed up front; their payload buffers come from a pool that grows
/// in chunks only when more packets wait at once than ever before, and a packet handed on gives
/// its buffer back. A stream without loss holds nothing (packets in order are handed on without
/// being stored), so its memory is the descriptions alone instead of `capacity` full-size
/// buffers; in steady state nothing is allocated per packet.
final class PacketRing {
    struct Slot {
        var sequence: Int64
        var timestamp: Int64
        var length: Int
        var marker: Bool
        var isRetransmission: Bool
        var arrival: ContinuousClock.Instant
        /// The packet's RFC 6464 level, when it carried one.
        var audioLevel: AudioLevel?
        /// The payload buffer in the pool; meaningful while `sequence` is not -1.
        var buffer: Int32
    }

    let capacity: Int
    let slotSize: Int
    private let mask: Int
    private(set) var slots: [Slot]
    private var buffers: PayloadBufferPool

    /// `capacity` is rounded up to a power of two.
    /// `epoch` only fills the empty slots' arrival time.
    init(capacity: Int, slotSize: Int = 1500, epoch: ContinuousClock.Instant) {
        var size = 1
        while size < capacity { size <<= 1 }
        self.capacity = size
        self.slotSize = slotSize
        mask = size - 1
        let empty = Slot(sequence: -1, timestamp: 0, length: 0, marker: false, isRetransmission: false, arrival: epoch, buffer: -1)
        slots = Array(repeating: empty, count: size)
        buffers = PayloadBufferPool(bufferSize: slotSize, maximumBuffers: size)
    }

    deinit { buffers.deallocate() }

    func contains(_ sequence: Int64) -> Bool {
        slots[index(sequence)].sequence == sequence
    }

    /// How many payload buffers the pool holds (in use or free): the most packets that waited at once,
    /// rounded up to its chunk size.
    var pooledBuffers: Int { buffers.allocatedBuffers }

    /// Copies a payload into the slot for `sequence`; false when it does not fit a slot.
    func store(sequence: Int64, timestamp: Int64, marker: Bool, isRetransmission: Bool, audioLevel: AudioLevel? = nil,
               payload: UnsafeRawBufferPointer, arrival: ContinuousClock.Instant) -> Bool {
        guard payload.count <= slotSize else { return false }
        let slotIndex = index(sequence)
        // A slot still holding an older packet (the window moved past it) keeps its buffer.
        let buffer = slots[slotIndex].sequence == -1 ? buffers.take() : slots[slotIndex].buffer
        if let source = payload.baseAddress, !payload.isEmpty {
            buffers.address(of: buffer).copyMemory(from: source, byteCount: payload.count)
        }
        slots[slotIndex] = Slot(sequence: sequence, timestamp: timestamp, length: payload.count, marker: marker,
                                isRetransmission: isRetransmission, arrival: arrival, audioLevel: audioLevel, buffer: buffer)
        return true
    }

    func slot(_ sequence: Int64) -> Slot? {
        let slot = slots[index(sequence)]
        return slot.sequence == sequence ? slot : nil
    }

    func payload(of slot: Slot) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffers.address(of: slot.buffer), count: slot.length)
    }

    func remove(_ sequence: Int64) {
        let slotIndex = index(sequence)
        guard slots[slotIndex].sequence == sequence else { return }
        slots[slotIndex].sequence = -1
        buffers.give(back: slots[slotIndex].buffer)
    }

    private func index(_ sequence: Int64) -> Int { Int(truncatingIfNeeded: sequence) & mask }
}
