@testable import RTC
import Testing

@Suite("Sequence numbers and timestamps extended to 64 bits")
struct WrappingCounterUnwrapperTests {
    @Test("sequence numbers wrap forward at 65535 → 0 and a reordered packet from before the wrap goes back")
    func sequenceWrap() {
        var unwrapper = SequenceNumberUnwrapper()
        let start = unwrapper.unwrap(65_534)
        #expect(unwrapper.unwrap(65_535) == start + 1)
        #expect(unwrapper.unwrap(0) == start + 2)
        #expect(unwrapper.unwrap(1) == start + 3)
        #expect(unwrapper.unwrap(65_535) == start + 1, "a late packet from before the wrap")
        #expect(unwrapper.unwrap(2) == start + 4)
        #expect(unwrapper.highest == start + 4)
    }

    @Test("a packet reordered before the very first one still gets a positive value")
    func reorderedBeforeFirst() {
        var unwrapper = SequenceNumberUnwrapper()
        let first = unwrapper.unwrap(0)
        #expect(unwrapper.unwrap(65_535) == first - 1)
        #expect(first - 1 > 0)
    }

    @Test("many wraps: 300 000 consecutive sequence numbers stay consecutive")
    func manyWraps() {
        var unwrapper = SequenceNumberUnwrapper()
        let first = unwrapper.unwrap(40_000)
        for step in 1...300_000 as ClosedRange<Int64> {
            #expect(unwrapper.unwrap(UInt16(truncatingIfNeeded: 40_000 + step)) == first + step)
        }
    }

    @Test("timestamps wrap at 2^32 and move backwards by signed distance")
    func timestampWrap() {
        var unwrapper = RTPTimestampUnwrapper()
        let start = unwrapper.unwrap(UInt32.max - 1_000)
        #expect(unwrapper.unwrap(2_000) == start + 3_001)
        #expect(unwrapper.unwrap(UInt32.max - 500) == start + 500)
        #expect(unwrapper.peek(5_000) == start + 6_001)
        #expect(unwrapper.highest == start + 3_001, "peek does not move the highest value")
    }

    @Test("the signed distance covers half the range in both directions")
    func halfRange() {
        #expect(SequenceNumberUnwrapper.signedDistance(from: 0, to: 32_768) == 32_768)
        #expect(SequenceNumberUnwrapper.signedDistance(from: 0, to: 32_769) == -32_767)
        #expect(SequenceNumberUnwrapper.signedDistance(from: 100, to: 99) == -1)
        #expect(RTPTimestampUnwrapper.signedDistance(from: 10, to: 9) == -1)
        #expect(RTPTimestampUnwrapper.signedDistance(from: 0, to: 1 << 31) == 1 << 31)
    }
}
