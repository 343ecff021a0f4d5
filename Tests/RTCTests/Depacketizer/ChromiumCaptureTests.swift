import Foundation
@testable import RTC
import Testing

/// Real RTP captured from headless Chromium 156 (fake camera 640x480 and microphone), received by
/// aiortc: see Fixtures/rtp/chromium-rtp.json and Tests/tools/capture_chromium_rtp.py. Every fixture
/// assembles into complete frames that ffmpeg decodes without a complaint.
struct ChromiumCaptureTests {
    struct Assembly {
        var frames: [CollectedFrame] = []
        var assembler: FrameAssembler
    }

    /// Runs a fixture's packets, which must all carry the sidecar's payload type, through an assembler.
    /// `dropping` removes packets by index, to replay the capture with losses.
    static func assemble(_ file: String, codec: SDP.SupportedCodec, dropping dropped: Set<Int> = []) throws -> Assembly {
        let packets = try RTPFixture.packets(file)
        let payloadType = try #require(RTPFixture.description(of: file)["payloadType"] as? Int)
        #expect(packets.allSatisfy { Int($0.payloadType) == payloadType })
        #expect(Set(packets.map(\.ssrc)).count == 1)
        var assembly = Assembly(assembler: FrameAssembler(codec: codec))
        var unwrapper = FixtureUnwrapper()
        var previous: Int64?
        for (index, packet) in packets.enumerated() {
            let sequence = unwrapper.sequence(packet.sequenceNumber)
            let timestamp = unwrapper.timestamp(packet.timestamp)
            guard !dropped.contains(index) else { continue }
            let continuous = previous.map { sequence == $0 + 1 } ?? true
            previous = sequence
            packet.payload.withUnsafeBytes { payload in
                assembly.assembler.push(payload: payload, marker: packet.marker, sequence: sequence, timestamp: timestamp,
                                        continuous: continuous) { frame, bytes in
                    assembly.frames.append(CollectedFrame(frame: frame, bytes: Array(bytes)))
                }
            }
        }
        return assembly
    }

    @Test func vp8FramesAreCompleteAndStartWithA640x480Keyframe() throws {
        let assembly = try Self.assemble("chromium-vp8.rtpdump", codec: .vp8)
        let frames = assembly.frames
        #expect(frames.count >= 30)
        #expect(frames.allSatisfy { $0.frame.isComplete })
        let first = try #require(frames.first)
        #expect(first.frame.isKeyframe && first.frame.width == 640 && first.frame.height == 480)
        #expect(assembly.assembler.malformedPayloads == 0)
        #expect(assembly.assembler.pictureIDGaps == 0)
        // Frames follow each other in timestamp; sequence numbers leave no packet out.
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.frame.timestamp < $1.frame.timestamp && $0.frame.lastSequence + 1 == $1.frame.firstSequence })
    }

    @Test func vp8PictureIDsAdvanceByOnePerFrame() throws {
        var pictureIDs: [UInt16] = []
        for packet in try RTPFixture.packets("chromium-vp8.rtpdump") {
            let descriptor = try #require(packet.payload.withUnsafeBytes { VP8PayloadDescriptor($0) })
            if descriptor.startsFrame { pictureIDs.append(try #require(descriptor.pictureID)) }
            #expect(descriptor.pictureIDIs15Bits)
        }
        #expect(zip(pictureIDs, pictureIDs.dropFirst()).allSatisfy { ($0 &+ 1) & 0x7FFF == $1 })
    }

    @Test func vp8DecodesCleanly() throws {
        let frames = try Self.assemble("chromium-vp8.rtpdump", codec: .vp8).frames
        let directory = try FFmpeg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("chromium.ivf")
        try IVF.write(frames.map { ($0.frame.timestamp - frames[0].frame.timestamp, $0.bytes) }, fourCC: "VP80", width: 640, height: 480)
            .write(to: file)
        let result = try FFmpeg.decode(file)
        #expect(result.errors == "")
        #expect(result.frames == frames.count)
    }

    @Test func h264FramesAreCompleteAndStartWithA640x480IDR() throws {
        let assembly = try Self.assemble("chromium-h264.rtpdump", codec: .h264)
        let frames = assembly.frames
        #expect(frames.count >= 30)
        #expect(frames.allSatisfy { $0.frame.isComplete })
        let first = try #require(frames.first)
        #expect(first.frame.isKeyframe && first.frame.width == 640 && first.frame.height == 480)
        // The IDR arrived with its SPS and PPS (STAP-A): in the output once each, in front.
        let types = Self.nalTypes(first.bytes)
        #expect(types.prefix(2) == [7, 8] && types.contains(5))
        #expect(types.filter { $0 == 7 }.count == 1)
        #expect(frames.dropFirst().allSatisfy { !$0.frame.isKeyframe && $0.frame.width == nil })
        #expect(assembly.assembler.malformedPayloads == 0)
    }

    @Test func h264DecodesCleanly() throws {
        let frames = try Self.assemble("chromium-h264.rtpdump", codec: .h264).frames
        let directory = try FFmpeg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("chromium.h264")
        try Data(frames.flatMap(\.bytes)).write(to: file)
        let result = try FFmpeg.decode(file, format: "h264")
        #expect(result.errors == "")
        #expect(result.frames == frames.count)
    }

    @Test func opusFramesAre20MillisecondsApart() throws {
        let assembly = try Self.assemble("chromium-opus.rtpdump", codec: .opus)
        let frames = assembly.frames
        #expect(frames.count >= 90)
        #expect(frames.allSatisfy { $0.frame.isComplete && $0.frame.isKeyframe && !$0.bytes.isEmpty })
        #expect(assembly.assembler.malformedPayloads == 0)
        // 960 samples at 48 kHz per packet; DTX pauses skip whole multiples of it.
        let steps = zip(frames, frames.dropFirst()).map { $1.frame.timestamp - $0.frame.timestamp }
        #expect(steps.allSatisfy { $0 > 0 && $0 % 960 == 0 })
        #expect(steps.filter { $0 == 960 }.count >= steps.count * 9 / 10)
        // Payloads pass through unchanged.
        let packets = try RTPFixture.packets("chromium-opus.rtpdump")
        #expect(frames.map(\.bytes) == packets.map(\.payload))
    }

    /// The capture replayed with packets missing: frames that lost a packet come out incomplete,
    /// exactly once each, and every frame that comes out complete is byte for byte the lossless one.
    @Test(arguments: [("chromium-vp8.rtpdump", SDP.SupportedCodec.vp8), ("chromium-h264.rtpdump", .h264)])
    func lossesAreReportedAndTheRestIsIntact(_ file: String, _ codec: SDP.SupportedCodec) throws {
        let lossless = try Self.assemble(file, codec: codec).frames
        let byTimestamp = Dictionary(uniqueKeysWithValues: lossless.map { ($0.frame.timestamp, $0) })
        let packets = try RTPFixture.packets(file)
        var random = SeededRandom(seed: 0x1055)
        let dropped = Set((0..<packets.count).filter { $0 > 0 && random.int(in: 0...9) == 0 })
        let lossy = try Self.assemble(file, codec: codec, dropping: dropped).frames
        var unwrapper = FixtureUnwrapper()
        let timestamps = packets.map { unwrapper.timestamp($0.timestamp) }
        let hitTimestamps = Set(dropped.map { timestamps[$0] })
        for frame in lossy {
            if frame.frame.isComplete {
                #expect(byTimestamp[frame.frame.timestamp] == frame)
            } else {
                #expect(hitTimestamps.contains(frame.frame.timestamp))
            }
        }
        #expect(Set(lossy.map(\.frame.timestamp)).count == lossy.count)
        #expect(lossy.contains { !$0.frame.isComplete })
    }

    /// The NAL unit types of an Annex B frame, in order.
    static func nalTypes(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { buffer in
            var types: [UInt8] = []
            var offset = 0
            while let unit = H264AnnexBScanner.nalUnit(in: buffer, from: offset) {
                types.append(buffer[unit.lowerBound] & 0x1F)
                offset = unit.upperBound
            }
            return types
        }
    }
}
