/// Puts one stream's packets back in sequence order and hands them on, holding back after a hole
/// until the missing packet arrives (reordered or retransmitted) or is given up.
///
/// A hole is given up when it has waited `holdBack` since a later packet revealed it, or when the
/// window is full; the next packet handed on is then marked discontinuous, so that the frame
/// assembler can tell an incomplete frame from a complete one.
final class ReorderBuffer {
    enum Insertion: Equatable {
        /// The next packet in order with nothing held behind it: not stored, the caller hands it
        /// on from its own bytes as `delivery` (the common case, without a copy).
        case inOrder(Delivery)
        /// Stored; `missing` is the range of sequence numbers this packet revealed as absent.
        case stored(missing: Range<Int64>)
        /// Filled a hole.
        case filledHole
        case duplicate
        /// Older than what was already handed on (or given up).
        case late
        case oversize
    }

    struct Delivery: Equatable {
        var sequence: Int64
        var timestamp: Int64
        var marker: Bool
        var isRetransmission: Bool
        var continuous: Bool
        var arrival: ContinuousClock.Instant
        /// The packet's RFC 6464 level, when it carried one.
        var audioLevel: AudioLevel? = nil
    }

    let holdBack: Duration
    private let ring: PacketRing
    /// The next sequence number to hand on; nil before the first packet.
    private(set) var nextToDeliver: Int64?
    private(set) var highest: Int64 = 0
    /// Whether packets were given up just before `nextToDeliver`.
    private var discontinuity = false
    private(set) var packetsGivenUp = 0

    init(capacity: Int, holdBack: Duration, slotSize: Int = 1500, epoch: ContinuousClock.Instant) {
        ring = PacketRing(capacity: capacity, slotSize: slotSize, epoch: epoch)
        self.holdBack = holdBack
    }

    var capacity: Int { ring.capacity }
    /// Payload buffers the ring has allocated: the most packets that ever waited at once.
    var pooledPayloadBuffers: Int { ring.pooledBuffers }

    /// Stores a packet, or passes it straight on when it is the next in order and nothing waits
    /// (`.inOrder`). The caller makes room first (`makeRoom`), so that a packet far ahead pushes
    /// the window on instead of being refused.
    func insert(sequence: Int64, timestamp: Int64, marker: Bool, isRetransmission: Bool, audioLevel: AudioLevel? = nil,
                payload: UnsafeRawBufferPointer, arrival: ContinuousClock.Instant) -> Insertion {
        let isNextWithNothingHeld = nextToDeliver.map { sequence == $0 && highest < $0 } ?? true
        if isNextWithNothingHeld {
            guard payload.count <= ring.slotSize else { return .oversize }
            nextToDeliver = sequence + 1
            highest = sequence
            let delivery = Delivery(sequence: sequence, timestamp: timestamp, marker: marker, isRetransmission: isRetransmission,
                                    continuous: !discontinuity, arrival: arrival, audioLevel: audioLevel)
            discontinuity = false
            return .inOrder(delivery)
        }
        guard let next = nextToDeliver else { return .late }  // the first packet went the way above
        if sequence < next { return .late }
        if ring.contains(sequence) { return .duplicate }
        guard sequence - next < Int64(ring.capacity),
              ring.store(sequence: sequence, timestamp: timestamp, marker: marker, isRetransmission: isRetransmission,
                         audioLevel: audioLevel, payload: payload, arrival: arrival) else { return .oversize }
        if sequence > highest {
            let missing = max(highest + 1, next) ..< sequence
            highest = sequence
            return .stored(missing: missing)
        }
        return .filledHole
    }

    /// When `sequence` lies beyond the window, hands on or gives up what is in its way.
    func makeRoom(for sequence: Int64, _ body: (Delivery, UnsafeRawBufferPointer) -> Void) {
        guard let next = nextToDeliver, sequence - next >= Int64(ring.capacity) else { return }
        skip(through: sequence - Int64(ring.capacity), body)
    }

    /// Hands on every packet that is next in order, each with its payload.
    func deliver(_ body: (Delivery, UnsafeRawBufferPointer) -> Void) {
        guard var next = nextToDeliver else { return }
        while let slot = ring.slot(next) {
            handOn(slot, body)
            next += 1
        }
        nextToDeliver = next
    }

    /// When the hole at the head will be given up: `holdBack` after the first packet behind it
    /// arrived. Nil when nothing waits.
    var headDeadline: ContinuousClock.Instant? {
        guard let next = nextToDeliver, highest > next else { return nil }
        var sequence = next + 1
        while sequence <= highest {
            if let slot = ring.slot(sequence) { return slot.arrival + holdBack }
            sequence += 1
        }
        return nil
    }

    /// Gives up holes whose wait is over and hands on what follows them.
    func giveUpExpired(now: ContinuousClock.Instant, _ body: (Delivery, UnsafeRawBufferPointer) -> Void) {
        while let deadline = headDeadline, deadline <= now, let next = nextToDeliver {
            var firstPresent = next
            while firstPresent <= highest, !ring.contains(firstPresent) { firstPresent += 1 }
            skip(through: firstPresent - 1, body)
            deliver(body)
        }
    }

    /// Gives up everything still held (the stream ended): present packets are handed on, holes
    /// skipped.
    func flush(_ body: (Delivery, UnsafeRawBufferPointer) -> Void) {
        skip(through: highest, body)
    }

    /// Moves the head past `target`, handing on present packets and giving up the holes.
    private func skip(through target: Int64, _ body: (Delivery, UnsafeRawBufferPointer) -> Void) {
        guard var next = nextToDeliver else { return }
        while next <= target {
            if let slot = ring.slot(next) {
                handOn(slot, body)
            } else {
                discontinuity = true
                packetsGivenUp += 1
            }
            next += 1
        }
        nextToDeliver = next
        highest = max(highest, next - 1)
        deliver(body)
    }

    private func handOn(_ slot: PacketRing.Slot, _ body: (Delivery, UnsafeRawBufferPointer) -> Void) {
        body(Delivery(sequence: slot.sequence, timestamp: slot.timestamp, marker: slot.marker,
                      isRetransmission: slot.isRetransmission, continuous: !discontinuity,
                      arrival: slot.arrival, audioLevel: slot.audioLevel),
             ring.payload(of: slot))
        ring.remove(slot.sequence)
        discontinuity = false
    }
}
