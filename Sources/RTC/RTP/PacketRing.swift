/// Fixed storage for the packets of one stream that wait in the reorder buffer: `capacity` slots
/// of `slotSize` bytes in one allocation made up front, addressed by extended sequence number
/// modulo the capacity. Nothing is allocated per packet.
final class PacketRing {
    struct Slot {
        var sequence: Int64
        var timestamp: Int64
        var length: Int
        var marker: Bool
        var isRetransmission: Bool
        var arrival: ContinuousClock.Instant
    }

    let capacity: Int
    let slotSize: Int
    private let mask: Int
    private let storage: UnsafeMutableRawPointer
    private(set) var slots: [Slot]

    /// `capacity` is rounded up to a power of two.
    /// `epoch` only fills the empty slots' arrival time.
    init(capacity: Int, slotSize: Int = 1500, epoch: ContinuousClock.Instant) {
        var size = 1
        while size < capacity { size <<= 1 }
        self.capacity = size
        self.slotSize = slotSize
        mask = size - 1
        storage = UnsafeMutableRawPointer.allocate(byteCount: size * slotSize, alignment: 16)
        let empty = Slot(sequence: -1, timestamp: 0, length: 0, marker: false, isRetransmission: false, arrival: epoch)
        slots = Array(repeating: empty, count: size)
    }

    deinit { storage.deallocate() }

    func contains(_ sequence: Int64) -> Bool {
        slots[index(sequence)].sequence == sequence
    }

    /// Copies a payload into the slot for `sequence`; false when it does not fit a slot.
    func store(sequence: Int64, timestamp: Int64, marker: Bool, isRetransmission: Bool,
               payload: UnsafeRawBufferPointer, arrival: ContinuousClock.Instant) -> Bool {
        guard payload.count <= slotSize else { return false }
        let slotIndex = index(sequence)
        if let source = payload.baseAddress, !payload.isEmpty {
            (storage + slotIndex * slotSize).copyMemory(from: source, byteCount: payload.count)
        }
        slots[slotIndex] = Slot(sequence: sequence, timestamp: timestamp, length: payload.count, marker: marker,
                                isRetransmission: isRetransmission, arrival: arrival)
        return true
    }

    func slot(_ sequence: Int64) -> Slot? {
        let slot = slots[index(sequence)]
        return slot.sequence == sequence ? slot : nil
    }

    func payload(of slot: Slot) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + index(slot.sequence) * slotSize, count: slot.length)
    }

    func remove(_ sequence: Int64) {
        let slotIndex = index(sequence)
        if slots[slotIndex].sequence == sequence { slots[slotIndex].sequence = -1 }
    }

    private func index(_ sequence: Int64) -> Int { Int(truncatingIfNeeded: sequence) & mask }
}
