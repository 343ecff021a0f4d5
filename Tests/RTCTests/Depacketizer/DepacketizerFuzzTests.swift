@testable import RTC
import Testing

/// Every depacketizer and the assembler take 20,000 seeded random and mutated payloads without
/// trapping, and what they emit stays self-consistent. A failure replays from its seed.
struct DepacketizerFuzzTests {
    static let iterations = 2_000

    /// Valid payloads of one codec to mutate: packetizer output for a few synthetic frames.
    private static func seedPayloads(_ codec: SDP.SupportedCodec, random: inout SeededRandom) -> [[UInt8]] {
        var vp8 = VP8Packetizer()
        var vp9 = VP9Packetizer()
        var h264 = H264Packetizer()
        var payloads: [[UInt8]] = []
        for index in 0..<6 {
            let size = random.int(in: 1...2500)
            switch codec {
            case .vp8:
                let header: [UInt8] = index == 0 ? [0xB0, 0xBA, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01] : [0x31, 0x08, 0x00]
                payloads += Packetize.vp8(header + random.bytes(size), &vp8, max: 400).map(\.bytes)
            case .vp9:
                let header = index == 0 ? TestBytes.hex(VP9DepacketizerTests.keyframeStart) : [0x86]
                payloads += Packetize.vp9(header + random.bytes(size), keyframe: index == 0, &vp9, max: 400).map(\.bytes)
            case .h264:
                let sps = TestBytes.hex(H264DepacketizerTests.sequenceParameterSets[index % 6].hex)
                let unit = [0, 0, 0, 1] + sps + [0, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80, 0, 0, 0, 1, 0x65, 0x88] + random.nonZeroBytes(size)
                payloads += Packetize.h264(unit, &h264, max: 400).map(\.bytes)
            case .opus:
                payloads.append([UInt8(index * 8 + 3)] + random.bytes(size % 200))
            }
        }
        return payloads
    }

    private static func mutate(_ original: [UInt8], random: inout SeededRandom) -> [UInt8] {
        var bytes = original
        for _ in 0..<random.int(in: 1...4) {
            switch random.int(in: 0...5) {
            case 0 where !bytes.isEmpty:
                bytes[random.int(in: 0...bytes.count - 1)] ^= UInt8(1) << UInt8(random.int(in: 0...7))
            case 1 where !bytes.isEmpty:
                bytes[random.int(in: 0...bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
            case 2:
                bytes = Array(bytes.prefix(random.int(in: 0...bytes.count)))
            case 3:
                bytes.insert(contentsOf: random.bytes(random.int(in: 1...8)), at: random.int(in: 0...bytes.count))
            case 4 where bytes.count > 1:
                let start = random.int(in: 0...bytes.count - 1)
                bytes.removeSubrange(start ..< min(bytes.count, start + random.int(in: 1...8)))
            default:
                bytes[0 ..< min(bytes.count, 4)] = ArraySlice(random.bytes(min(bytes.count, 4)))
            }
        }
        return bytes
    }

    @Test(arguments: SDP.SupportedCodec.allCases)
    func assemblerSurvivesRandomAndMutatedPayloads(_ codec: SDP.SupportedCodec) {
        var random = SeededRandom(seed: 0xF022_0000 + UInt64(SDP.SupportedCodec.allCases.firstIndex(of: codec) ?? 0))
        let seeds = Self.seedPayloads(codec, random: &random)
        var assembler = FrameAssembler(codec: codec)
        var sequence: Int64 = 0
        var timestamp: Int64 = 0
        var emitted = 0
        for iteration in 0..<Self.iterations {
            let payload = random.int(in: 0...3) == 0
                ? random.bytes(random.int(in: 0...300))
                : Self.mutate(seeds[iteration % seeds.count], random: &random)
            let continuous = random.int(in: 0...9) != 0
            sequence += continuous ? 1 : Int64(random.int(in: 2...5))
            if random.int(in: 0...3) == 0 { timestamp += 3000 }
            let pushedSequence = sequence
            payload.withUnsafeBytes { buffer in
                assembler.push(payload: buffer, marker: random.int(in: 0...2) == 0, sequence: sequence, timestamp: timestamp,
                               continuous: continuous) { frame, bytes in
                    emitted += 1
                    #expect(frame.codec == codec)
                    #expect(frame.firstSequence <= frame.lastSequence && frame.lastSequence <= pushedSequence)
                    #expect(frame.width == nil || frame.isKeyframe)
                    #expect(!(frame.isComplete && codec != .h264 && bytes.isEmpty))
                }
            }
        }
        #expect(assembler.malformedPayloads > 0 && assembler.malformedPayloads <= Self.iterations)
        #expect(emitted > 0)
    }

    @Test func parsersSurviveMutations() {
        var random = SeededRandom(seed: 0x9A25_E125)
        let samples = H264DepacketizerTests.sequenceParameterSets.map { TestBytes.hex($0.hex) }
            + [TestBytes.hex(VP9DepacketizerTests.keyframeStart), TestBytes.hex("8a 01 38 01 40 00 b4 02 80 01 68 02 04 01 34 01 00"),
               TestBytes.hex("90 f0 92 34 07 a5 00"), TestBytes.hex("b0 ba 00 9d 01 2a 80 02 e0 01")]
        var parsed = 0
        for iteration in 0..<Self.iterations {
            let bytes = iteration % 4 == 0 ? random.bytes(random.int(in: 0...40)) : Self.mutate(samples[iteration % samples.count], random: &random)
            bytes.withUnsafeBytes { buffer in
                if let sps = H264SequenceParameterSet(nalUnit: buffer) {
                    parsed += 1
                    #expect(sps.width > 0 && sps.height > 0)
                }
                if VP9UncompressedHeader(buffer) != nil { parsed += 1 }
                if let descriptor = VP9PayloadDescriptor(buffer) {
                    #expect(descriptor.length <= buffer.count)
                }
                if let descriptor = VP8PayloadDescriptor(buffer) {
                    #expect(descriptor.length <= buffer.count)
                }
                if VP8FrameHeader(buffer) != nil { parsed += 1 }
                var reader = BitReader(buffer, removingEmulationPrevention: true)
                while reader.unsignedExpGolomb() != nil {}
                for start in stride(from: 0, through: buffer.count, by: 7) {
                    if let unit = H264AnnexBScanner.nalUnit(in: buffer, from: start) {
                        #expect(unit.lowerBound >= start && unit.upperBound <= buffer.count && !unit.isEmpty)
                    }
                }
            }
        }
        #expect(parsed > 0)
    }

    @Test func packetizersSurviveArbitraryFrames() {
        var random = SeededRandom(seed: 0x9AC4_E712)
        var vp8 = VP8Packetizer()
        var vp9 = VP9Packetizer()
        var h264 = H264Packetizer()
        for _ in 0..<500 {
            let frame = random.bytes(random.int(in: 0...3000))
            let max = random.int(in: 9...1500)
            for payload in Packetize.vp8(frame, &vp8, max: max) + Packetize.vp9(frame, keyframe: random.int(in: 0...1) == 0, &vp9, max: max)
                + Packetize.h264(frame, &h264, max: max) {
                #expect(payload.bytes.count <= max)
            }
        }
    }
}
