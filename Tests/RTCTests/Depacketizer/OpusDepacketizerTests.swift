@testable import RTC
import Testing

/// Opus payloads (RFC 7587): each is one frame, passed through; malformed ones (RFC 6716 §3.4) counted.
struct OpusDepacketizerTests {
    @Test func everyPacketIsAFrame() {
        var harness = AssemblerHarness(.opus)
        harness.push(TestBytes.hex("78 0b e4 c1"), marker: true, sequence: 7, timestamp: 960)
        harness.push(TestBytes.hex("78 07 c9"), sequence: 8, timestamp: 1920)
        // A loss before a packet changes nothing for audio: the packet is whole.
        harness.push(TestBytes.hex("78 aa"), sequence: 10, timestamp: 3840, continuous: false)
        #expect(harness.frames.map(\.bytes) == [TestBytes.hex("78 0b e4 c1"), TestBytes.hex("78 07 c9"), TestBytes.hex("78 aa")])
        #expect(harness.frames.map(\.frame.timestamp) == [960, 1920, 3840])
        #expect(harness.frames.allSatisfy { $0.frame.isKeyframe && $0.frame.isComplete && $0.frame.firstSequence == $0.frame.lastSequence })
        #expect(harness.frames.allSatisfy { $0.frame.codec == .opus && $0.frame.width == nil })
    }

    /// DTX comfort-noise packets are 1–3 bytes and valid.
    @Test(arguments: ["f8", "78 01", "f8 ff fe", "79 aa bb", "7a 01 aa", "7a fc 01" + String(repeating: " 00", count: 256),
                      "7b 01 aa", "1b 02 aa", "e3 30 aa"])
    func validPackets(_ hex: String) {
        var harness = AssemblerHarness(.opus)
        harness.push(TestBytes.hex(hex), sequence: 1, timestamp: 0)
        #expect(harness.frames.count == 1)
        #expect(harness.assembler.malformedPayloads == 0)
    }

    /// Empty (R1), code 1 with an odd remainder (R3), code 2 with a too-long first frame (R4),
    /// code 3 with no frame count, zero frames, or more than 120 ms (R5).
    @Test(arguments: ["", "79 aa", "7a", "7a 05 aa", "7a fc", "7a fc 01 00", "7b", "7b 00", "1b 03 aa", "e3 31 aa"])
    func malformedPackets(_ hex: String) {
        var harness = AssemblerHarness(.opus)
        harness.push(TestBytes.hex(hex), sequence: 1, timestamp: 0)
        #expect(harness.frames.isEmpty)
        #expect(harness.assembler.malformedPayloads == 1)
    }
}
