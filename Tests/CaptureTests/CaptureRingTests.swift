import Testing
@testable import Capture

struct CaptureRingTests {
    /// Blocks written across the ring's end come out whole and in order.
    @Test func blocksWrapAroundTheEnd() {
        let ring = CaptureRing(capacity: 1024)
        var out: [UInt8] = []
        var expected: [UInt8] = []
        for round in 0 ..< 50 {
            let block = [UInt8](repeating: UInt8(round), count: 100 + round)
            #expect(ring.write(length: block.count) { reservation in block.withUnsafeBytes { reservation.append($0) } })
            expected += block
            if round % 3 == 2 { ring.drain { out += $0 } }
        }
        ring.drain { out += $0 }
        #expect(out == expected)
        #expect(ring.written == 50 && ring.dropped == 0)
    }

    /// A block with no room is dropped and counted; the writer never waits.
    @Test func aFullRingDropsAndCounts() {
        let ring = CaptureRing(capacity: 1024)
        let block = [UInt8](repeating: 1, count: 400)
        for _ in 0 ..< 3 { ring.write(length: 400) { r in block.withUnsafeBytes { r.append($0) } } }
        #expect(ring.written == 2 && ring.dropped == 1)
        var drained = 0
        ring.drain { drained += $0.count }
        #expect(drained == 800)
        #expect(ring.write(length: 400) { r in block.withUnsafeBytes { r.append($0) } })
    }

    /// One writer thread and one reader thread: every byte arrives once, in order.
    @Test func oneWriterAndOneReaderOnTwoThreads() async {
        let ring = CaptureRing(capacity: 4096)
        let blocks = 20_000
        let writer = Task.detached {
            var sent = 0
            var value: UInt32 = 0
            while sent < blocks {
                let ok = ring.write(length: 8) { r in
                    r.appendFileOrder(value)
                    r.appendBigEndian(~value)
                }
                if ok { sent += 1; value += 1 } else { await Task.yield() }
            }
        }
        let reader = Task.detached { () -> Bool in
            var bytes: [UInt8] = []
            var next: UInt32 = 0
            var intact = true
            while next < UInt32(blocks) {
                ring.drain { bytes += $0 }
                while bytes.count >= 8 {
                    let value = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
                    let check = UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7])
                    intact = intact && value == next && check == ~next
                    next += 1
                    bytes.removeFirst(8)
                }
                await Task.yield()
            }
            return intact
        }
        await writer.value
        #expect(await reader.value)
        #expect(ring.dropped > 0 || ring.written == blocks)
    }
}
