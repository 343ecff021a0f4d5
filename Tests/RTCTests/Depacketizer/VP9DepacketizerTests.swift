@testable import RTC
import Testing

/// VP9 payload descriptors (RFC 9628 §4.2), scalability structures (§4.2.1), the uncompressed
/// header (VP9 bitstream specification §6.2), and the assembler on hand-built VP9 packets.
struct VP9DepacketizerTests {
    private func descriptor(_ hex: String) -> VP9PayloadDescriptor? {
        TestBytes.hex(hex).withUnsafeBytes { VP9PayloadDescriptor($0) }
    }

    private func header(_ hex: String) -> VP9UncompressedHeader? {
        TestBytes.hex(hex).withUnsafeBytes { VP9UncompressedHeader($0) }
    }

    /// The first bytes of a libvpx-vp9 640x480 profile 0 keyframe (ffmpeg testsrc, yuv420p).
    static let keyframeStart = "82 49 83 42 00 27 f0 1d f6 10 38 24"
    /// An interframe's first byte: frame_marker 2, profile 0, frame_type 1, show_frame 1.
    static let interframeStart = "86 00 40 92"

    @Test func nonFlexibleModeWithLayerIndices() throws {
        // I L B | M=1 PictureID 0x0123 | TID=2 U=1 SID=0 D=0 | TL0PICIDX=7
        let parsed = try #require(descriptor("a8 81 23 50 07 00"))
        #expect(parsed.length == 5)
        #expect(parsed.pictureID == 0x0123 && parsed.pictureIDIs15Bits)
        #expect(parsed.temporalLayer == 2 && parsed.isSwitchingUpPoint && parsed.spatialLayer == 0)
        #expect(parsed.tl0PictureIndex == 7)
        #expect(parsed.beginsFrame && !parsed.endsFrame && !parsed.isFlexibleMode && !parsed.isInterPicturePredicted)
    }

    @Test func flexibleModeReferenceIndices() throws {
        // I P F B | PictureID 0x11 | P_DIFF=1 N=1 | P_DIFF=2 N=0
        let parsed = try #require(descriptor("d8 11 03 04 00"))
        #expect(parsed.length == 4)
        #expect(parsed.isFlexibleMode && parsed.isInterPicturePredicted)
        #expect(parsed.referenceCount == 2 && parsed.referenceDiffs[0] == 1 && parsed.referenceDiffs[1] == 2)
        #expect(parsed.tl0PictureIndex == nil)
    }

    @Test func flexibleModeWithLayersHasNoTL0PictureIndex() throws {
        // I P L F B E | PictureID 0x05 | TID=1 SID=1 D=1 | P_DIFF=1
        let parsed = try #require(descriptor("fc 05 23 02 00"))
        #expect(parsed.length == 4)
        #expect(parsed.temporalLayer == 1 && parsed.spatialLayer == 1 && parsed.isInterLayerDependent)
        #expect(parsed.referenceCount == 1 && parsed.endsFrame)
    }

    @Test func scalabilityStructureWithSizesAndPictureGroup() throws {
        // I B V | PictureID 1 | SS: N_S=1 Y=1 G=1 | 320x180 | 640x360 | N_G=2 | TID0 R=1 P_DIFF1 | TID1 U R=1 P_DIFF1
        let parsed = try #require(descriptor("8a 01 38 01 40 00 b4 02 80 01 68 02 04 01 34 01 00"))
        let structure = try #require(parsed.scalabilityStructure)
        #expect(structure.spatialLayerCount == 2)
        #expect(structure.baseLayerWidth == 320 && structure.baseLayerHeight == 180)
        #expect(structure.pictureGroupSize == 2)
        #expect(structure.length == 14 && parsed.length == 16)
    }

    @Test(arguments: ["", "80", "80 80", "a8 81 23 50", "d8 11", "d8 11 03 05 07 00", "8a 01 38 01 40", "8a 01 08 02 04"])
    func truncatedOrInvalidDescriptorsAreRejected(_ hex: String) {
        #expect(descriptor(hex) == nil)
    }

    @Test func keyframeHeaderGivesSize() throws {
        let parsed = try #require(header(Self.keyframeStart))
        #expect(parsed.isKeyframe && parsed.profile == 0 && parsed.width == 640 && parsed.height == 480)
    }

    @Test func profileOneRGBKeyframe() throws {
        // libvpx-vp9 with gbrp input: profile 1, color_space CS_RGB, reserved_zero bit.
        let parsed = try #require(header("a2 49 83 42 e0 27 f0 1d f6 10"))
        #expect(parsed.profile == 1 && parsed.isKeyframe && parsed.width == 640 && parsed.height == 480)
    }

    @Test func interframeAndShowExistingFrame() throws {
        let inter = try #require(header(Self.interframeStart))
        #expect(!inter.isKeyframe && inter.width == nil)
        // show_existing_frame=1 then frame_to_show_map_idx
        let existing = try #require(header("88"))
        #expect(existing.showsExistingFrame && !existing.isKeyframe)
    }

    @Test(arguments: ["", "02 49 83 42", "82 49 83 43 00 27 f0 1d f6", "82 49 83 42 00 27 f0"])
    func badHeadersAreRejected(_ hex: String) {
        #expect(header(hex) == nil)
    }

    @Test func keyframeSizeFromTheScalabilityStructureWins() {
        var harness = AssemblerHarness(.vp9)
        // I B E V | PictureID 3 | SS: N_S=0 Y=1 | 1280x720 | then the keyframe data (its header says 640x480)
        let frames = harness.push(TestBytes.hex("8e 03 10 05 00 02 d0 " + Self.keyframeStart), marker: true, sequence: 1, timestamp: 0)
        #expect(frames.count == 1)
        #expect(frames.first?.frame.isKeyframe == true)
        #expect(frames.first?.frame.width == 1280 && frames.first?.frame.height == 720)
        #expect(frames.first?.bytes == TestBytes.hex(Self.keyframeStart))
    }

    @Test func endBitClosesTheFrameWithoutMarker() {
        var harness = AssemblerHarness(.vp9)
        harness.push(TestBytes.hex("88 04 " + Self.keyframeStart), sequence: 1, timestamp: 0)
        let frames = harness.push(TestBytes.hex("84 04 aa bb"), sequence: 2, timestamp: 0)
        #expect(frames.count == 1)
        #expect(frames.first?.frame == AssembledFrame(codec: .vp9, timestamp: 0, firstSequence: 1, lastSequence: 2,
                                                      isKeyframe: true, isComplete: true, width: 640, height: 480))
        #expect(frames.first?.bytes == TestBytes.hex(Self.keyframeStart + " aa bb"))
    }

    @Test func inconsistentKeyframeFlagsMakeNoKeyframe() {
        var harness = AssemblerHarness(.vp9)
        // P=0 in the descriptor but an interframe header: not a keyframe.
        let frames = harness.push(TestBytes.hex("8c 04 " + Self.interframeStart), marker: true, sequence: 1, timestamp: 0)
        #expect(frames.map(\.frame.isKeyframe) == [false])
    }

    @Test func upperSpatialLayersAreIgnored() {
        var harness = AssemblerHarness(.vp9)
        // Base layer (SID 0) ends with E; layer 1 of the same picture follows and carries the marker.
        harness.push(TestBytes.hex("ac 07 00 00 " + Self.keyframeStart), sequence: 1, timestamp: 0)
        harness.push(TestBytes.hex("ad 07 03 00 " + Self.interframeStart), marker: true, sequence: 2, timestamp: 0)
        #expect(harness.frames.count == 1)
        #expect(harness.frames.first?.bytes == TestBytes.hex(Self.keyframeStart))
        #expect(harness.assembler.malformedPayloads == 0)
    }

    @Test func frameStartWithGarbageHeaderIsMalformed() {
        var harness = AssemblerHarness(.vp9)
        harness.push(TestBytes.hex("8c 04 ff ff ff"), marker: true, sequence: 1, timestamp: 0)
        #expect(harness.frames.isEmpty && harness.assembler.malformedPayloads == 1)
    }
}
