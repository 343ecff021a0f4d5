@testable import RTC
import Testing

/// Frame boundaries, losses and continuity, on VP8 packets (the codec-independent logic) and on
/// the codec-specific ends of frames.
struct FrameAssemblerTests {
    /// Frame P (timestamp 3000): a keyframe in packets 1, 2, 3 (marker).
    /// Frame Q (timestamp 6000): an interframe in packets 4, 5 (marker).
    static let keyframeStart = TestBytes.hex("90 80 80 01  b0 ba 00 9d 01 2a 80 02 e0 01")
    static let p2 = TestBytes.hex("80 80 80 01  22 22")
    static let p3 = TestBytes.hex("80 80 80 01  33")
    static let q4 = TestBytes.hex("90 80 80 02  31 08 00")
    static let q5 = TestBytes.hex("80 80 80 02  55")

    static let pBytes = TestBytes.hex("b0 ba 00 9d 01 2a 80 02 e0 01 22 22 33")
    static let qBytes = TestBytes.hex("31 08 00 55")

    @Test func framesInOrderAreComplete() {
        var harness = AssemblerHarness(.vp8)
        #expect(harness.push(Self.keyframeStart, sequence: 1, timestamp: 3000).isEmpty)
        #expect(harness.push(Self.p2, sequence: 2, timestamp: 3000).isEmpty)
        harness.push(Self.p3, marker: true, sequence: 3, timestamp: 3000)
        harness.push(Self.q4, sequence: 4, timestamp: 6000)
        harness.push(Self.q5, marker: true, sequence: 5, timestamp: 6000)
        #expect(harness.frames.map(\.bytes) == [Self.pBytes, Self.qBytes])
        #expect(harness.frames.map(\.frame.isComplete) == [true, true])
        #expect(harness.frames.map(\.frame.isKeyframe) == [true, false])
        #expect(harness.frames.map(\.frame.firstSequence) == [1, 4])
        #expect(harness.frames.map(\.frame.lastSequence) == [3, 5])
    }

    @Test func lostFirstPacketReportsTheFrameOnce() {
        var harness = AssemblerHarness(.vp8)
        let reported = harness.push(Self.p2, sequence: 2, timestamp: 3000, continuous: false)
        #expect(harness.push(Self.p3, marker: true, sequence: 3, timestamp: 3000).isEmpty)
        harness.push(Self.q4, sequence: 4, timestamp: 6000)
        harness.push(Self.q5, marker: true, sequence: 5, timestamp: 6000)
        #expect(reported.map(\.frame.isComplete) == [false])
        #expect(reported.first?.frame.timestamp == 3000 && reported.first?.bytes.isEmpty == true)
        #expect(harness.frames.map(\.frame.isComplete) == [false, true])
        #expect(harness.frames.last?.bytes == Self.qBytes)
    }

    @Test func lostMiddlePacketEmitsWhatWasGathered() {
        var harness = AssemblerHarness(.vp8)
        harness.push(Self.keyframeStart, sequence: 1, timestamp: 3000)
        let reported = harness.push(Self.p3, marker: true, sequence: 3, timestamp: 3000, continuous: false)
        harness.push(Self.q4, sequence: 4, timestamp: 6000)
        harness.push(Self.q5, marker: true, sequence: 5, timestamp: 6000)
        #expect(reported.count == 1)
        #expect(reported.first?.frame == AssembledFrame(codec: .vp8, timestamp: 3000, firstSequence: 1, lastSequence: 1,
                                                        isKeyframe: true, isComplete: false, width: 640, height: 480))
        #expect(reported.first?.bytes == TestBytes.hex("b0 ba 00 9d 01 2a 80 02 e0 01"))
        #expect(harness.frames.map(\.frame.isComplete) == [false, true])
    }

    @Test func lostMarkerPacketThenNextFrame() {
        var harness = AssemblerHarness(.vp8)
        harness.push(Self.keyframeStart, sequence: 1, timestamp: 3000)
        harness.push(Self.p2, sequence: 2, timestamp: 3000)
        let emitted = harness.push(Self.q4, sequence: 4, timestamp: 6000, continuous: false)
        harness.push(Self.q5, marker: true, sequence: 5, timestamp: 6000)
        #expect(emitted.map(\.frame.isComplete) == [false])
        #expect(emitted.first?.frame.lastSequence == 2)
        #expect(harness.frames.map(\.frame.timestamp) == [3000, 6000])
        #expect(harness.frames.map(\.frame.isComplete) == [false, true])
        #expect(harness.frames.last?.bytes == Self.qBytes)
    }

    @Test func newTimestampWithoutMarkerClosesACompleteFrame() {
        var harness = AssemblerHarness(.vp8)
        harness.push(Self.keyframeStart, sequence: 1, timestamp: 3000)
        harness.push(Self.p2, sequence: 2, timestamp: 3000)
        harness.push(Self.p3, sequence: 3, timestamp: 3000)  // marker not set
        let emitted = harness.push(Self.q4, sequence: 4, timestamp: 6000)
        harness.push(Self.q5, marker: true, sequence: 5, timestamp: 6000)
        #expect(emitted.map(\.bytes) == [Self.pBytes])
        #expect(harness.frames.map(\.frame.isComplete) == [true, true])
    }

    @Test func lossAndMissingStartOfTheNextFrame() {
        var harness = AssemblerHarness(.vp8)
        harness.push(Self.keyframeStart, sequence: 1, timestamp: 3000)
        // 2, 3 and 4 lost: P is cut short and Q has no start; each is reported once.
        let emitted = harness.push(Self.q5, marker: true, sequence: 5, timestamp: 6000, continuous: false)
        #expect(emitted.map(\.frame.timestamp) == [3000, 6000])
        #expect(emitted.map(\.frame.isComplete) == [false, false])
    }

    @Test func lossBetweenFramesLosesNothingOfTheNext() {
        var harness = AssemblerHarness(.vp8)
        harness.push(Self.q4, sequence: 4, timestamp: 6000, continuous: false)
        harness.push(Self.q5, marker: true, sequence: 5, timestamp: 6000)
        #expect(harness.frames.map(\.frame.isComplete) == [true])
        #expect(harness.frames.first?.bytes == Self.qBytes)
    }

    @Test func malformedPayloadInsideAFrameBreaksIt() {
        var harness = AssemblerHarness(.vp8)
        harness.push(Self.keyframeStart, sequence: 1, timestamp: 3000)
        harness.push(TestBytes.hex("80 80"), sequence: 2, timestamp: 3000)
        harness.push(Self.p3, marker: true, sequence: 3, timestamp: 3000)
        harness.push(Self.q4, sequence: 4, timestamp: 6000)
        harness.push(Self.q5, marker: true, sequence: 5, timestamp: 6000)
        #expect(harness.assembler.malformedPayloads == 1)
        #expect(harness.frames.map(\.frame.isComplete) == [false, true])
    }

    @Test func paddingOnlyPacketsAreSkipped() {
        var harness = AssemblerHarness(.vp8)
        harness.push(Self.keyframeStart, sequence: 1, timestamp: 3000)
        harness.push(Self.p2, sequence: 2, timestamp: 3000)
        harness.push(Self.p3, marker: true, sequence: 3, timestamp: 3000)
        harness.push([], sequence: 4, timestamp: 3000)
        harness.push([], sequence: 5, timestamp: 3000)
        harness.push(Self.q4, sequence: 6, timestamp: 6000)
        harness.push(Self.q5, marker: true, sequence: 7, timestamp: 6000)
        #expect(harness.frames.map(\.frame.isComplete) == [true, true])
        #expect(harness.assembler.malformedPayloads == 0)
    }

    @Test func nonStartAfterACompleteFrameIsReported() {
        var harness = AssemblerHarness(.vp8)
        harness.push(Self.q4, sequence: 4, timestamp: 6000)
        harness.push(Self.q5, marker: true, sequence: 5, timestamp: 6000)
        // A continuation with a new timestamp and no frame start: its beginning never existed.
        harness.push(Self.p2, sequence: 6, timestamp: 9000)
        harness.push(Self.p3, marker: true, sequence: 7, timestamp: 9000)
        #expect(harness.frames.map(\.frame.isComplete) == [true, false])
        #expect(harness.frames.map(\.frame.timestamp) == [6000, 9000])
    }

    @Test func bufferIsReusedAcrossFrames() {
        // The same assembler keeps producing correct frames after many incomplete and complete ones.
        var harness = AssemblerHarness(.vp8)
        var sequence: Int64 = 0
        for round in 0..<50 {
            let timestamp = Int64(round) * 3000
            sequence += 1
            harness.push(Self.keyframeStart, sequence: sequence, timestamp: timestamp, continuous: round % 3 != 0)
            sequence += 2  // packet lost on odd rounds
            harness.push(Self.p3, marker: true, sequence: sequence, timestamp: timestamp, continuous: round % 2 == 0)
        }
        for (round, frame) in harness.frames.enumerated() {
            let complete = round % 2 == 0
            #expect(frame.frame.isComplete == complete)
            #expect(frame.bytes == (complete ? TestBytes.hex("b0 ba 00 9d 01 2a 80 02 e0 01 33") : TestBytes.hex("b0 ba 00 9d 01 2a 80 02 e0 01")))
        }
        #expect(harness.frames.count == 50)
    }

    @Test func pictureIDGapsCountOnlyWholeLostFrames() {
        var harness = AssemblerHarness(.vp8)
        harness.push(Self.keyframeStart, sequence: 1, timestamp: 3000)  // PictureID 1
        harness.push(Self.p3, marker: true, sequence: 3, timestamp: 3000, continuous: false)
        harness.push(Self.q5, marker: true, sequence: 6, timestamp: 6000, continuous: false)  // PictureID 2, start lost
        #expect(harness.frames.map(\.frame.isComplete) == [false, false])
        #expect(harness.assembler.pictureIDGaps == 0)
        // PictureID 4: frame 3 vanished entirely.
        harness.push(TestBytes.hex("90 80 80 04 31 08 00"), marker: true, sequence: 9, timestamp: 12000, continuous: false)
        #expect(harness.assembler.pictureIDGaps == 1)
        #expect(harness.frames.last?.frame.isComplete == true)
    }
}
