import Foundation
@testable import RTC
import Testing

/// Packetizer → assembler round trips: synthetic frames of random sizes (seeded), split at random
/// payload sizes, come back byte for byte with the right boundaries, keyframe flags and sizes; and
/// the same for real encoder output (ffmpeg testsrc 640x480 in VP8, VP9 and H.264).
struct PacketizerRoundTripTests {
    /// Feeds payloads as consecutive RTP packets of one frame each; returns the emitted frames.
    private static func assemble(_ frames: [[PacketizedPayload]], codec: SDP.SupportedCodec, assembler: inout FrameAssembler,
                                 firstSequence: Int64 = 1000) -> [CollectedFrame] {
        var collected: [CollectedFrame] = []
        var sequence = firstSequence
        for (index, payloads) in frames.enumerated() {
            for payload in payloads {
                payload.bytes.withUnsafeBytes { buffer in
                    assembler.push(payload: buffer, marker: payload.isLast, sequence: sequence, timestamp: Int64(index) * 3000,
                                   continuous: true) { frame, bytes in collected.append(CollectedFrame(frame: frame, bytes: Array(bytes))) }
                }
                sequence += 1
            }
        }
        return collected
    }

    /// A VP8 frame the depacketizer accepts: a frame tag (P bit) and, on keyframes, start code and size.
    private static func vp8Frame(keyframe: Bool, size: Int, random: inout SeededRandom) -> [UInt8] {
        if keyframe { return [0xB0, 0xBA, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01] + random.bytes(size) }
        return [0x31, 0x08, 0x00] + random.bytes(size)
    }

    @Test func vp8RandomFrames() {
        var random = SeededRandom(seed: 0x5650_3801)
        var packetizer = VP8Packetizer(firstPictureID: 0x7FF0)  // wraps during the run
        var assembler = FrameAssembler(codec: .vp8)
        let frames = (0..<200).map { index in Self.vp8Frame(keyframe: index % 50 == 0, size: random.int(in: 0...6000), random: &random) }
        let payloads = frames.map { frame in Packetize.vp8(frame, &packetizer, max: random.int(in: 5...1200)) }
        #expect(payloads.allSatisfy { $0.allSatisfy { $0.bytes.count <= 1200 } })
        let out = Self.assemble(payloads, codec: .vp8, assembler: &assembler)
        expectSameFrames(out.map(\.bytes), frames)
        #expect(out.allSatisfy { $0.frame.isComplete })
        #expect(out.map(\.frame.isKeyframe) == (0..<200).map { $0 % 50 == 0 })
        #expect(out.filter(\.frame.isKeyframe).allSatisfy { $0.frame.width == 640 && $0.frame.height == 480 })
        #expect(assembler.pictureIDGaps == 0 && assembler.malformedPayloads == 0)
    }

    @Test func vp9RandomFrames() {
        var random = SeededRandom(seed: 0x5650_3901)
        var packetizer = VP9Packetizer(firstPictureID: 0x7FF0)
        var assembler = FrameAssembler(codec: .vp9)
        let keyframeStart = TestBytes.hex(VP9DepacketizerTests.keyframeStart)
        let frames = (0..<200).map { index in
            (index % 50 == 0 ? keyframeStart : [0x86]) + random.bytes(random.int(in: 0...6000))
        }
        let payloads = frames.enumerated().map { index, frame in
            Packetize.vp9(frame, keyframe: index % 50 == 0, &packetizer, max: random.int(in: 9...1200))
        }
        let out = Self.assemble(payloads, codec: .vp9, assembler: &assembler)
        expectSameFrames(out.map(\.bytes), frames)
        #expect(out.allSatisfy { $0.frame.isComplete })
        #expect(out.map(\.frame.isKeyframe) == (0..<200).map { $0 % 50 == 0 })
        #expect(out.filter(\.frame.isKeyframe).allSatisfy { $0.frame.width == 640 && $0.frame.height == 480 })
        #expect(assembler.pictureIDGaps == 0 && assembler.malformedPayloads == 0)
    }

    @Test func h264RandomAccessUnits() {
        var random = SeededRandom(seed: 0x4832_3634)
        var packetizer = H264Packetizer()
        var assembler = FrameAssembler(codec: .h264)
        let startCode: [UInt8] = [0, 0, 0, 1]
        let sps = TestBytes.hex(H264DepacketizerTests.sequenceParameterSets[2].hex)
        let pps = TestBytes.hex("68 eb cc b2 2c")
        let frames = (0..<200).map { index -> [UInt8] in
            // Slices: NAL header, a first byte whose top bit says first_mb_in_slice = 0 (first slice only),
            // and bytes without zeros so no start code appears inside.
            let sliceCount = random.int(in: 1...3)
            var unit = index % 50 == 0 ? startCode + sps + startCode + pps : []
            if random.int(in: 0...3) == 0 { unit += startCode + [0x06] + random.nonZeroBytes(random.int(in: 1...40)) }  // SEI
            for slice in 0..<sliceCount {
                let header: UInt8 = index % 50 == 0 ? 0x65 : 0x41
                unit += startCode + [header, slice == 0 ? 0x88 : 0x48] + random.nonZeroBytes(random.int(in: 0...4000))
            }
            return unit
        }
        let payloads = frames.map { frame in Packetize.h264(frame, &packetizer, max: random.int(in: 3...1200)) }
        let out = Self.assemble(payloads, codec: .h264, assembler: &assembler)
        expectSameFrames(out.map(\.bytes), frames)
        #expect(out.allSatisfy { $0.frame.isComplete })
        #expect(out.map(\.frame.isKeyframe) == (0..<200).map { $0 % 50 == 0 })
        #expect(out.filter(\.frame.isKeyframe).allSatisfy { $0.frame.width == 640 && $0.frame.height == 480 })
        #expect(assembler.malformedPayloads == 0)
    }

    @Test func h264AggregatesSmallUnitsIntoSTAPA() {
        var packetizer = H264Packetizer()
        let frame = TestBytes.hex("00 00 00 01 67 42 c0 1e  00 00 01 68 ce 3c 80  00 00 00 01 65 88 84 21 a0")
        let payloads = Packetize.h264(frame, &packetizer, max: 1200)
        // RFC 6184 §5.7.1: F=0, NRI = the largest of the units' (3), type 24.
        #expect(payloads.map(\.bytes) == [TestBytes.hex("78 00 04 67 42 c0 1e 00 04 68 ce 3c 80 00 05 65 88 84 21 a0")])
        var single = H264Packetizer(aggregates: false)
        #expect(Packetize.h264(frame, &single, max: 1200).map(\.bytes) ==
                [TestBytes.hex("67 42 c0 1e"), TestBytes.hex("68 ce 3c 80"), TestBytes.hex("65 88 84 21 a0")])
        #expect(Packetize.h264(frame, &single, max: 1200).map(\.isLast) == [false, false, true])
    }

    @Test func h264FragmentsLargeUnitsIntoFUA() {
        var packetizer = H264Packetizer()
        let frame = TestBytes.hex("00 00 00 01 65 01 02 03 04 05")
        let payloads = Packetize.h264(frame, &packetizer, max: 4)
        // RFC 6184 §5.8: indicator 0x7c (NRI 3, type 28); FU header S=0x80/E=0x40 | type 5.
        #expect(payloads.map(\.bytes) == [TestBytes.hex("7c 85 01 02"), TestBytes.hex("7c 05 03 04"), TestBytes.hex("7c 45 05")])
        #expect(payloads.map(\.isLast) == [false, false, true])
    }

    @Test func opusPassesThrough() {
        var random = SeededRandom(seed: 0x4F50_5553)
        var assembler = FrameAssembler(codec: .opus)
        let frames = (0..<200).map { _ in [UInt8(random.int(in: 0...255) & 0xFC)] + random.bytes(random.int(in: 0...400)) }
        let out = Self.assemble(frames.map(Packetize.opus), codec: .opus, assembler: &assembler)
        expectSameFrames(out.map(\.bytes), frames)
        #expect(Packetize.opus([]).isEmpty)
    }

    @Test func vp8DescriptorLayout() {
        var packetizer = VP8Packetizer(firstPictureID: 0x1234)
        let payloads = Packetize.vp8([1, 2, 3, 4, 5], &packetizer, max: 7)
        #expect(payloads.map(\.bytes) == [TestBytes.hex("90 80 92 34 01 02 03"), TestBytes.hex("80 80 92 34 04 05")])
        #expect(payloads.map(\.isLast) == [false, true])
        #expect(packetizer.nextPictureID == 0x1235)
    }

    @Test func vp9DescriptorLayout() {
        var packetizer = VP9Packetizer(firstPictureID: 5)
        let keyframe = TestBytes.hex(VP9DepacketizerTests.keyframeStart)
        let payloads = Packetize.vp9(keyframe, keyframe: true, &packetizer, max: 14)
        // I B V | PictureID (M=1) | SS N_S=0 Y=1, 640x480 | data; then I E | PictureID | data.
        #expect(payloads.first?.bytes == TestBytes.hex("8a 80 05 10 02 80 01 e0") + keyframe.prefix(6))
        #expect(payloads.last?.bytes == TestBytes.hex("84 80 05") + keyframe.dropFirst(6))
        let inter = Packetize.vp9([0x86, 1], keyframe: false, &packetizer, max: 100)
        #expect(inter.map(\.bytes) == [TestBytes.hex("cc 80 06 86 01")])
    }

    @Test(arguments: [("ffmpeg-testsrc-640x480.vp8.ivf", SDP.SupportedCodec.vp8), ("ffmpeg-testsrc-640x480.vp9.ivf", .vp9),
                      ("ffmpeg-testsrc-640x480.h264", .h264)])
    func realEncoderOutput(_ file: String, _ codec: SDP.SupportedCodec) throws {
        let data = try Data(contentsOf: RTPFixture.url(file))
        let frames = codec == .h264 ? AnnexBAccessUnits.split([UInt8](data)) : IVF.frames(of: data)
        #expect(frames.count == 6)
        var vp8 = VP8Packetizer()
        var vp9 = VP9Packetizer()
        var h264 = H264Packetizer()
        let payloads = frames.enumerated().map { index, frame in
            switch codec {
            case .vp8: Packetize.vp8(frame, &vp8, max: 1200)
            case .vp9: Packetize.vp9(frame, keyframe: index == 0, &vp9, max: 1200)
            default: Packetize.h264(frame, &h264, max: 1200)
            }
        }
        #expect(payloads[0].count > 1, "the keyframe spans several packets")
        var assembler = FrameAssembler(codec: codec)
        let out = Self.assemble(payloads, codec: codec, assembler: &assembler)
        expectSameFrames(out.map(\.bytes), frames)
        #expect(out.map(\.frame.isKeyframe) == [true, false, false, false, false, false])
        #expect(out[0].frame.width == 640 && out[0].frame.height == 480)
        #expect(out.allSatisfy { $0.frame.isComplete })
    }
}
