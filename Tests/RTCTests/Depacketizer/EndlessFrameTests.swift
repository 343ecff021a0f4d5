@testable import RTC
import Testing

/// A hostile (or broken) sender that never ends a frame: one timestamp, no marker bit, packet
/// after packet. The assembler cuts the frame at its limit, counts it, drops the rest, and the
/// stream's next frame assembles as usual — the recorder's memory does not follow the sender.
struct EndlessFrameTests {
    /// A VP8 continuation packet: descriptor (X, no S), then 1,180 bytes of frame data.
    static let continuation = TestBytes.hex("80 80 80 01") + [UInt8](repeating: 0x5A, count: 1_180)

    @Test("100,000 packets of one timestamp with no marker: one frame cut at the limit, counted, the rest dropped")
    func endlessFrameIsCut() {
        var harness = AssemblerHarness(.vp8)
        harness.assembler.maximumFrameBytes = 1 << 20
        harness.push(FrameAssemblerTests.keyframeStart, sequence: 1, timestamp: 3000)
        var emittedBytes = 0
        for sequence in Int64(2)...100_001 {
            let emitted = harness.push(Self.continuation, sequence: sequence, timestamp: 3000)
            emittedBytes += emitted.reduce(0) { $0 + $1.bytes.count }
            harness.frames.removeAll()  // the harness keeps what it saw; the assembler must not
            #expect(harness.assembler.bufferedBytes <= 1 << 20)
        }
        #expect(harness.assembler.oversizedFrames == 1)
        #expect(emittedBytes <= 1 << 20)
        // The cut frame went out once, incomplete; then the sender's next frame is whole again.
        harness.push(FrameAssemblerTests.q4, sequence: 100_002, timestamp: 6000)
        harness.push(FrameAssemblerTests.q5, marker: true, sequence: 100_003, timestamp: 6000)
        #expect(harness.frames.last?.bytes == FrameAssemblerTests.qBytes)
        #expect(harness.frames.last?.frame.isComplete == true)
        #expect(harness.assembler.bufferedBytes == 0)
    }

    @Test("the limit by default lets a very large keyframe through")
    func defaultLimit() {
        #expect(FrameAssembler.defaultMaximumFrameBytes >= 4 << 20)
        #expect(FrameAssembler(codec: .vp8).maximumFrameBytes == FrameAssembler.defaultMaximumFrameBytes)
    }
}
