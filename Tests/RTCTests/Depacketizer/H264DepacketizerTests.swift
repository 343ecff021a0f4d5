@testable import RTC
import Testing

/// H.264 SPS parsing on real encoder output, and RFC 6184 packet types through the assembler.
struct H264DepacketizerTests {
    /// Real SPS NAL units and the size they describe. Generated with ffmpeg (libx264, testsrc), and
    /// Chromium 156's OpenH264 SPS from the captured fixture.
    static let sequenceParameterSets: [(name: String, hex: String, width: Int, height: Int)] = [
        ("chromium constrained baseline", "6742c01f8c8d40501ed35060606078442350", 640, 480),
        ("x264 constrained baseline", "6742c01ed900a03db0110000030001000003003c0f162e48", 640, 480),
        ("x264 high", "6764001eacb201407b6022000003000200000300781e2c5c90", 640, 480),
        ("x264 main, cropped 368 to 360", "674d401eeca05017fcb80880000003008000001e078b16cb", 640, 360),
        ("x264 high 4:4:4, cropped 1088 to 1080", "67f40028919b280f0044fc4e0220000003002000000781e30632c0", 1920, 1080),
        ("x264 interlaced (frame_mbs_only_flag 0)", "6764001eacd940a07b6022000003000200000300783e28532c", 640, 480),
    ]

    static let chromiumPPS = "68ce3c80"

    @Test(arguments: sequenceParameterSets.indices)
    func sequenceParameterSetSize(_ index: Int) throws {
        let sample = Self.sequenceParameterSets[index]
        let parsed = try #require(TestBytes.hex(sample.hex).withUnsafeBytes { H264SequenceParameterSet(nalUnit: $0) }, "\(sample.name)")
        #expect(parsed.width == sample.width && parsed.height == sample.height, "\(sample.name)")
    }

    @Test func truncatedSequenceParameterSetsAreRejected() {
        let sps = TestBytes.hex(Self.sequenceParameterSets[2].hex)
        // Cut before the cropping and size fields: every prefix up to there must fail cleanly.
        for length in 0..<9 {
            #expect(Array(sps.prefix(length)).withUnsafeBytes { H264SequenceParameterSet(nalUnit: $0) } == nil)
        }
    }

    @Test func bitReaderSkipsEmulationPrevention() {
        let bytes = TestBytes.hex("00 00 03 01 00 00 03 00 ff")
        bytes.withUnsafeBytes { buffer in
            var escaped = BitReader(buffer, removingEmulationPrevention: true)
            #expect(escaped.bits(24) == 0x00_0001)
            #expect(escaped.bits(24) == 0x00_0000)
            #expect(escaped.bits(8) == 0xFF)
            #expect(escaped.bit() == nil)
            var raw = BitReader(buffer)
            #expect(raw.bits(32) == 0x0000_0301)
        }
    }

    @Test func expGolombCodes() {
        // 1 | 010 | 011 | 00100 | 00101 (se: -2)  → ue 0, 1, 2, 3, then se(4) = -2
        TestBytes.hex("a6 42 80").withUnsafeBytes { buffer in
            var reader = BitReader(buffer)
            #expect(reader.unsignedExpGolomb() == 0)
            #expect(reader.unsignedExpGolomb() == 1)
            #expect(reader.unsignedExpGolomb() == 2)
            #expect(reader.unsignedExpGolomb() == 3)
            #expect(reader.signedExpGolomb() == -2)
        }
        TestBytes.hex("00 00 00 00 00").withUnsafeBytes { buffer in
            var reader = BitReader(buffer)
            #expect(reader.unsignedExpGolomb() == nil)  // more than 31 leading zeros
        }
    }

    @Test func stapAWithParameterSetsThenFUAIDR() throws {
        // RFC 6184 §5.7.1: STAP-A header (NRI 3, type 24), then size + NAL unit, twice.
        let sps = TestBytes.hex(Self.sequenceParameterSets[0].hex)
        let pps = TestBytes.hex(Self.chromiumPPS)
        let stapA = [0x78] + [0, UInt8(sps.count)] + sps + [0, UInt8(pps.count)] + pps
        // RFC 6184 §5.8: FU indicator (NRI 3, type 28), FU header S/E + type 5, fragments.
        var harness = AssemblerHarness(.h264)
        harness.push(stapA, sequence: 1, timestamp: 9000)
        harness.push(TestBytes.hex("7c 85 88 84"), sequence: 2, timestamp: 9000)
        harness.push(TestBytes.hex("7c 05 11 22"), sequence: 3, timestamp: 9000)
        let frames = harness.push(TestBytes.hex("7c 45 33"), marker: true, sequence: 4, timestamp: 9000)
        let frame = try #require(frames.first)
        #expect(frames.count == 1)
        #expect(frame.frame == AssembledFrame(codec: .h264, timestamp: 9000, firstSequence: 1, lastSequence: 4,
                                              isKeyframe: true, isComplete: true, width: 640, height: 480))
        let startCode: [UInt8] = [0, 0, 0, 1]
        #expect(frame.bytes == startCode + sps + startCode + pps + startCode + TestBytes.hex("65 88 84 11 22 33"))
    }

    @Test func parameterSetsAreRememberedForALaterIDR() throws {
        let sps = TestBytes.hex(Self.sequenceParameterSets[0].hex)
        let pps = TestBytes.hex(Self.chromiumPPS)
        var harness = AssemblerHarness(.h264)
        harness.push(sps, sequence: 1, timestamp: 0)
        harness.push(pps, sequence: 2, timestamp: 0)
        harness.push(TestBytes.hex("65 88 01"), marker: true, sequence: 3, timestamp: 0)
        harness.push(TestBytes.hex("41 9a 02"), marker: true, sequence: 4, timestamp: 3000)
        let idr = try #require(harness.push(TestBytes.hex("65 88 03"), marker: true, sequence: 5, timestamp: 6000).first)
        let startCode: [UInt8] = [0, 0, 0, 1]
        #expect(idr.bytes == startCode + sps + startCode + pps + startCode + TestBytes.hex("65 88 03"))
        #expect(idr.frame.isKeyframe && idr.frame.width == 640 && idr.frame.height == 480)
        #expect(harness.frames.map(\.frame.isKeyframe) == [true, false, true])
        #expect(harness.frames[1].bytes == startCode + TestBytes.hex("41 9a 02"))
        #expect(harness.frames[1].frame.width == nil)
    }

    @Test func idrWithoutAnyParameterSetsIsPassedAsIs() throws {
        var harness = AssemblerHarness(.h264)
        let frame = try #require(harness.push(TestBytes.hex("65 88 03"), marker: true, sequence: 1, timestamp: 0).first)
        #expect(frame.bytes == TestBytes.hex("00 00 00 01 65 88 03"))
        #expect(frame.frame.isKeyframe && frame.frame.width == nil)
    }

    /// STAP-B (25), MTAP16 (26), MTAP24 (27), FU-B (29) are interleaved-mode types; 0, 30, 31 are undefined.
    @Test(arguments: ["79 00 01 00 02 65 88", "7a 00 01 00 02 65 88", "7b 00 01 00 02 65 88", "7d 85 00 01 88",
                      "60 88", "7e 88", "7f 88", "", "78", "78 00 05 65 88", "78 00 00", "7c", "7c 85", "7c c5 88", "7c 80 88", "7c 98 88"])
    func malformedPayloadsAreCounted(_ hex: String) {
        var harness = AssemblerHarness(.h264)
        harness.push(TestBytes.hex(hex), marker: true, sequence: 1, timestamp: 0)
        // An empty payload is padding, not an error.
        #expect(harness.assembler.malformedPayloads == (hex.isEmpty ? 0 : 1))
        #expect(harness.frames.isEmpty)
    }

    @Test func fragmentContinuingNothingBreaksTheFrame() {
        var harness = AssemblerHarness(.h264)
        harness.push(TestBytes.hex("41 9a 02"), sequence: 1, timestamp: 0)  // first slice of the picture
        harness.push(TestBytes.hex("7c 05 11"), sequence: 2, timestamp: 0)  // FU-A middle with no start
        harness.push(TestBytes.hex("7c 45 22"), marker: true, sequence: 3, timestamp: 0)
        #expect(harness.frames.map(\.frame.isComplete) == [false])
        #expect(harness.frames.first?.bytes == TestBytes.hex("00 00 00 01 41 9a 02"))
        #expect(harness.assembler.malformedPayloads == 1)
    }

    @Test func unfinishedFragmentAtNewTimestampIsIncomplete() {
        var harness = AssemblerHarness(.h264)
        harness.push(TestBytes.hex("7c 81 9a 01"), sequence: 1, timestamp: 0)
        harness.push(TestBytes.hex("41 9a 02"), marker: true, sequence: 2, timestamp: 3000)
        #expect(harness.frames.map(\.frame.isComplete) == [false, true])
        #expect(harness.frames.map(\.frame.timestamp) == [0, 3000])
    }

    @Test func secondSliceAfterALossDoesNotStartAFrame() {
        var harness = AssemblerHarness(.h264)
        // first_mb_in_slice != 0 (its ue(v) starts with a 0 bit): the picture's first slice is missing.
        harness.push(TestBytes.hex("41 4a 02"), marker: true, sequence: 5, timestamp: 3000, continuous: false)
        #expect(harness.frames.map(\.frame.isComplete) == [false])
        #expect(harness.frames.first?.bytes.isEmpty == true)
    }

    @Test func packetAfterAFrameEndStartsTheNextWithoutLoss() {
        var harness = AssemblerHarness(.h264)
        harness.push(TestBytes.hex("41 9a 01"), marker: true, sequence: 1, timestamp: 0)
        // No loss since the marker: even a NAL unit that could not open an access unit does here.
        harness.push(TestBytes.hex("41 4a 02"), marker: true, sequence: 2, timestamp: 3000)
        #expect(harness.frames.map(\.frame.isComplete) == [true, true])
    }

    @Test func streamJoinedInsideAFragmentWaitsForAStart() {
        var harness = AssemblerHarness(.h264)
        harness.push(TestBytes.hex("7c 05 11"), sequence: 1, timestamp: 0)
        harness.push(TestBytes.hex("7c 45 22"), marker: true, sequence: 2, timestamp: 0)
        harness.push(TestBytes.hex("41 9a 03"), marker: true, sequence: 3, timestamp: 3000)
        #expect(harness.frames.map(\.frame.isComplete) == [false, true])
        #expect(harness.assembler.malformedPayloads == 0)
    }
}
