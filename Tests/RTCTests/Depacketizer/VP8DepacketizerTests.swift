@testable import RTC
import Testing

/// VP8 payload descriptor layouts from RFC 7741 §4.2, the frame header of §4.3 / RFC 6386 §9.1,
/// and the assembler on hand-built VP8 packets.
struct VP8DepacketizerTests {
    private func descriptor(_ hex: String) -> VP8PayloadDescriptor? {
        TestBytes.hex(hex).withUnsafeBytes { VP8PayloadDescriptor($0) }
    }

    @Test func requiredByteOnly() throws {
        // X=0, N=1, S=1, PID=0
        let parsed = try #require(descriptor("30 00"))
        #expect(parsed.length == 1)
        #expect(parsed.isNonReference && parsed.isStartOfPartition && parsed.startsFrame)
        #expect(parsed.pictureID == nil)
    }

    @Test func sevenBitPictureID() throws {
        // X=1 S=1 | I=1 | M=0 PictureID=0x55
        let parsed = try #require(descriptor("90 80 55 00"))
        #expect(parsed.length == 3)
        #expect(parsed.pictureID == 0x55 && !parsed.pictureIDIs15Bits)
    }

    @Test func allExtensions() throws {
        // X=1 S=1 PID=0 | I L T K | M=1 PictureID=0x1234 | TL0PICIDX=7 | TID=2 Y=1 KEYIDX=5
        let parsed = try #require(descriptor("90 f0 92 34 07 a5 00"))
        #expect(parsed.length == 6)
        #expect(parsed.pictureID == 0x1234 && parsed.pictureIDIs15Bits)
        #expect(parsed.tl0PictureIndex == 7)
        #expect(parsed.temporalLayer == 2 && parsed.isLayerSync)
        #expect(parsed.keyIndex == 5)
    }

    @Test func keyIndexWithoutTemporalLayer() throws {
        // §4.2: the TID/Y/KEYIDX byte is present when T or K is set; TID is meaningful only with T.
        let parsed = try #require(descriptor("80 10 c3 00"))
        #expect(parsed.length == 3)
        #expect(parsed.temporalLayer == nil && parsed.keyIndex == 3)
        #expect(!parsed.startsFrame)
    }

    @Test func laterPartitionIsNotAFrameStart() throws {
        let parsed = try #require(descriptor("11 00"))
        #expect(parsed.isStartOfPartition && parsed.partitionIndex == 1 && !parsed.startsFrame)
    }

    @Test(arguments: ["", "80", "90 80", "90 80 80", "90 40", "90 20", "90 f0 92 34 07"])
    func truncatedDescriptorsAreRejected(_ hex: String) {
        #expect(descriptor(hex) == nil)
    }

    @Test func keyframeHeaderGivesSize() throws {
        // The first bytes of a libvpx 640x480 keyframe (ffmpeg testsrc): tag, 9d 01 2a, 0x0280, 0x01e0.
        let header = try #require(TestBytes.hex("b0 ba 00 9d 01 2a 80 02 e0 01").withUnsafeBytes { VP8FrameHeader($0) })
        #expect(header.isKeyframe && header.width == 640 && header.height == 480)
    }

    @Test func scaleBitsAreNotPartOfTheSize() throws {
        let header = try #require(TestBytes.hex("b0 ba 00 9d 01 2a 80 c2 e0 41").withUnsafeBytes { VP8FrameHeader($0) })
        #expect(header.width == 640 && header.height == 480)
    }

    @Test func interframeHeader() throws {
        let header = try #require(TestBytes.hex("31 08 00").withUnsafeBytes { VP8FrameHeader($0) })
        #expect(!header.isKeyframe && header.width == nil)
    }

    @Test(arguments: ["b0 ba", "b0 ba 00 9d 01 2b 80 02 e0 01", "b0 ba 00 9d 01 2a 80 02 e0"])
    func badKeyframeHeadersAreRejected(_ hex: String) {
        #expect(TestBytes.hex(hex).withUnsafeBytes { VP8FrameHeader($0) } == nil)
    }

    @Test func assemblesAKeyframeFromThreePackets() {
        var harness = AssemblerHarness(.vp8)
        harness.push(TestBytes.hex("90 80 81 00  b0 ba 00 9d 01 2a 80 02 e0 01"), sequence: 10, timestamp: 3000)
        harness.push(TestBytes.hex("80 80 81 00  aa bb"), sequence: 11, timestamp: 3000)
        let frames = harness.push(TestBytes.hex("80 80 81 00  cc"), marker: true, sequence: 12, timestamp: 3000)
        #expect(frames.count == 1)
        let frame = frames[0]
        #expect(frame.bytes == TestBytes.hex("b0 ba 00 9d 01 2a 80 02 e0 01 aa bb cc"))
        #expect(frame.frame == AssembledFrame(codec: .vp8, timestamp: 3000, firstSequence: 10, lastSequence: 12,
                                              isKeyframe: true, isComplete: true, width: 640, height: 480))
    }

    @Test func interframeHasNoSize() {
        var harness = AssemblerHarness(.vp8)
        let frames = harness.push(TestBytes.hex("10 31 08 00 ee"), marker: true, sequence: 1, timestamp: 0)
        #expect(frames.map(\.frame.isKeyframe) == [false])
        #expect(frames.first?.frame.width == nil)
        #expect(frames.first?.bytes == TestBytes.hex("31 08 00 ee"))
    }

    @Test func descriptorWithoutDataIsMalformed() {
        var harness = AssemblerHarness(.vp8)
        harness.push(TestBytes.hex("90 80 81"), marker: true, sequence: 1, timestamp: 0)
        #expect(harness.frames.isEmpty)
        #expect(harness.assembler.malformedPayloads == 1)
    }

    @Test func pictureIDGapsAreCounted() {
        var harness = AssemblerHarness(.vp8)
        // 15-bit IDs 0x7ffe, 0x7fff, 0 (wraps: no gap), then 2 (one frame missing).
        for (index, pictureID) in [0x7FFE, 0x7FFF, 0, 2].enumerated() {
            let payload = [0x90, 0x80, 0x80 | UInt8(pictureID >> 8), UInt8(pictureID & 0xFF), 0x31, 0x08, 0x00]
            harness.push(payload, marker: true, sequence: Int64(index), timestamp: Int64(index) * 3000)
        }
        #expect(harness.frames.count == 4)
        #expect(harness.assembler.pictureIDGaps == 1)
    }

    @Test func sevenBitPictureIDsWrapAt128() {
        var harness = AssemblerHarness(.vp8)
        for (index, pictureID) in [126, 127, 0, 1].enumerated() {
            harness.push([0x90, 0x80, UInt8(pictureID), 0x31, 0x08, 0x00], marker: true, sequence: Int64(index),
                         timestamp: Int64(index) * 3000)
        }
        #expect(harness.assembler.pictureIDGaps == 0)
    }
}
