@testable import RTC
import Testing

@Suite("Reorder buffer: in-order delivery, hold-back, give-up")
struct ReorderBufferTests {
    let start = ContinuousClock.now

    private func insert(_ buffer: ReorderBuffer, _ sequence: Int64, at offset: Duration = .zero) -> ReorderBuffer.Insertion {
        let payload: [UInt8] = [UInt8(truncatingIfNeeded: sequence)]
        return payload.withUnsafeBytes {
            buffer.insert(sequence: sequence, timestamp: sequence * 10, marker: false, isRetransmission: false,
                          payload: $0, arrival: start + offset)
        }
    }

    private func drain(_ buffer: ReorderBuffer) -> [(Int64, Bool)] {
        var out: [(Int64, Bool)] = []
        buffer.deliver { delivery, bytes in
            #expect(bytes.first == UInt8(truncatingIfNeeded: delivery.sequence))
            out.append((delivery.sequence, delivery.continuous))
        }
        return out
    }

    private func delivery(_ sequence: Int64, continuous: Bool = true) -> ReorderBuffer.Delivery {
        ReorderBuffer.Delivery(sequence: sequence, timestamp: sequence * 10, marker: false, isRetransmission: false,
                               continuous: continuous, arrival: start)
    }

    @Test("reordered packets come out in order; a duplicate and a late packet are refused")
    func reorders() {
        let buffer = ReorderBuffer(capacity: 16, holdBack: .milliseconds(100), epoch: start)
        #expect(insert(buffer, 100) == .inOrder(delivery(100)), "the first packet is passed straight on")
        #expect(drain(buffer).isEmpty)
        #expect(insert(buffer, 102) == .stored(missing: 101 ..< 102))
        #expect(drain(buffer).isEmpty, "held back behind the hole")
        #expect(insert(buffer, 102) == .duplicate)
        #expect(insert(buffer, 101) == .filledHole)
        #expect(drain(buffer).map(\.0) == [101, 102])
        #expect(insert(buffer, 101) == .late)
        #expect(buffer.packetsGivenUp == 0)
    }

    @Test("a hole is given up after the hold-back, and the next packet is marked discontinuous")
    func givesUp() {
        let buffer = ReorderBuffer(capacity: 16, holdBack: .milliseconds(100), epoch: start)
        _ = insert(buffer, 1)
        _ = drain(buffer)
        _ = insert(buffer, 4, at: .milliseconds(10))
        _ = insert(buffer, 5, at: .milliseconds(20))
        #expect(buffer.headDeadline == start + .milliseconds(110))
        var delivered: [(Int64, Bool)] = []
        buffer.giveUpExpired(now: start + .milliseconds(109)) { delivery, _ in delivered.append((delivery.sequence, delivery.continuous)) }
        #expect(delivered.isEmpty)
        buffer.giveUpExpired(now: start + .milliseconds(110)) { delivery, _ in delivered.append((delivery.sequence, delivery.continuous)) }
        #expect(delivered.map(\.0) == [4, 5])
        #expect(delivered.map(\.1) == [false, true])
        #expect(buffer.packetsGivenUp == 2)
        #expect(insert(buffer, 3) == .late)
        #expect(insert(buffer, 6) == .inOrder(delivery(6)), "in order again once the holes are gone")
    }

    @Test("the packet after holes given up at the head is passed on marked discontinuous")
    func discontinuousInOrder() {
        let buffer = ReorderBuffer(capacity: 8, holdBack: .seconds(10), epoch: start)
        _ = insert(buffer, 0)
        buffer.makeRoom(for: 10) { _, _ in Issue.record("nothing was held") }
        #expect(buffer.packetsGivenUp == 2, "1 and 2 fall out of a window of 8 ending at 10")
        #expect(insert(buffer, 3) == .inOrder(delivery(3, continuous: false)))
        #expect(insert(buffer, 4) == .inOrder(delivery(4)))
    }

    @Test("a stream in order holds no payload buffers; holes take a few, given back as they fill")
    func payloadBuffersFollowHoles() {
        let buffer = ReorderBuffer(capacity: 1024, holdBack: .seconds(1), epoch: start)
        for sequence in Int64(0) ..< 5_000 {
            guard case .inOrder = insert(buffer, sequence) else { Issue.record("\(sequence) not in order"); return }
        }
        #expect(buffer.pooledPayloadBuffers == 0)
        // A hole every 100 packets, filled 20 packets later: at most 20 wait at once.
        var sequence: Int64 = 5_000
        var missing: [Int64] = []
        while sequence < 15_000 {
            if sequence % 100 == 0 { missing.append(sequence) } else { _ = insert(buffer, sequence) }
            if let hole = missing.first, sequence - hole == 20 {
                #expect(insert(buffer, hole) == .filledHole)
                missing.removeFirst()
            }
            _ = drain(buffer)
            sequence += 1
        }
        #expect(buffer.pooledPayloadBuffers == 32, "20 waiting at most, in chunks of 16; not the window's 1024")
        #expect(buffer.packetsGivenUp == 0)
    }

    @Test("a packet beyond the window pushes it on: present packets are handed on, holes given up")
    func windowOverflow() {
        let buffer = ReorderBuffer(capacity: 8, holdBack: .seconds(10), epoch: start)
        #expect(insert(buffer, 0) == .inOrder(delivery(0)))
        _ = insert(buffer, 2)
        _ = insert(buffer, 3)
        var delivered: [(Int64, Bool)] = []
        buffer.makeRoom(for: 12) { delivery, _ in delivered.append((delivery.sequence, delivery.continuous)) }
        #expect(delivered.map(\.0) == [2, 3])
        #expect(delivered.map(\.1) == [false, true])
        #expect(insert(buffer, 12) == .stored(missing: 5 ..< 12))
        #expect(buffer.packetsGivenUp == 2, "1 and 4 had to go; 5 and later still fit a window of 8 ending at 12")
    }

    @Test("flush hands on everything held, skipping holes")
    func flush() {
        let buffer = ReorderBuffer(capacity: 16, holdBack: .seconds(10), epoch: start)
        _ = insert(buffer, 0)
        _ = insert(buffer, 2)
        _ = insert(buffer, 5)
        _ = drain(buffer)
        var delivered: [(Int64, Bool)] = []
        buffer.flush { delivery, _ in delivered.append((delivery.sequence, delivery.continuous)) }
        #expect(delivered.map(\.0) == [2, 5])
        #expect(delivered.map(\.1) == [false, false])
        #expect(buffer.packetsGivenUp == 3)
    }

    @Test("a payload larger than a slot is refused, not truncated")
    func oversize() {
        let buffer = ReorderBuffer(capacity: 4, holdBack: .seconds(1), slotSize: 8, epoch: start)
        let big = [UInt8](repeating: 1, count: 9)
        let result = big.withUnsafeBytes {
            buffer.insert(sequence: 1, timestamp: 0, marker: false, isRetransmission: false, payload: $0, arrival: start)
        }
        #expect(result == .oversize)
        #expect(insert(buffer, 1) == .inOrder(delivery(1)))
        let held = big.withUnsafeBytes {
            buffer.insert(sequence: 3, timestamp: 0, marker: false, isRetransmission: false, payload: $0, arrival: start)
        }
        #expect(held == .oversize, "nor when it would wait behind a hole")
    }
}
