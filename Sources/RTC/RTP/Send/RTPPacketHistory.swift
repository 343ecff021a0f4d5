/// The packets a stream sent recently, kept so that a NACK can be answered with a
/// retransmission: fixed slots addressed by sequence number, allocated up front.
final class RTPPacketHistory {
    private struct Entry {
        var sequenceNumber: UInt16
        var length: Int
        var sentAt: ContinuousClock.Instant
        var isValid: Bool
    }

    let capacity: Int
    let slotSize: Int
    private let storage: UnsafeMutableRawPointer
    private var entries: [Entry]

    init(capacity: Int, slotSize: Int = 1500, epoch: ContinuousClock.Instant) {
        self.capacity = capacity
        self.slotSize = slotSize
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity * slotSize, alignment: 16)
        entries = Array(repeating: Entry(sequenceNumber: 0, length: 0, sentAt: epoch, isValid: false), count: capacity)
    }

    deinit { storage.deallocate() }

    /// Keeps a copy of a sent RTP packet (header included, before protection).
    func store(_ packet: UnsafeRawBufferPointer, sequenceNumber: UInt16, now: ContinuousClock.Instant) {
        guard packet.count <= slotSize, let source = packet.baseAddress else { return }
        let index = Int(sequenceNumber) % capacity
        (storage + index * slotSize).copyMemory(from: source, byteCount: packet.count)
        entries[index] = Entry(sequenceNumber: sequenceNumber, length: packet.count, sentAt: now, isValid: true)
    }

    /// The stored packet with this sequence number, if it is still kept.
    func packet(sequenceNumber: UInt16) -> UnsafeRawBufferPointer? {
        let index = Int(sequenceNumber) % capacity
        let entry = entries[index]
        guard entry.isValid, entry.sequenceNumber == sequenceNumber else { return nil }
        return UnsafeRawBufferPointer(start: storage + index * slotSize, count: entry.length)
    }
}
