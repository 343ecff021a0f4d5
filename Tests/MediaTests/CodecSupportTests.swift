@testable import Media
import MediaTestSupport
import Testing

/// The small byte-level pieces: the OpusHead, Opus packet durations, H.264 parameter sets.
@Suite("Codec headers and packet facts")
struct CodecSupportTests {
    @Test("OpusHead follows RFC 7845 §5.1")
    func opusHead() throws {
        let head = try #require(OpusHead.make(channels: 2, preSkip: 312))
        #expect(head == Array("OpusHead".utf8) + [1, 2, 0x38, 0x01, 0x80, 0xBB, 0x00, 0x00, 0, 0, 0])
        #expect(OpusHead.isPlausible(head))
        #expect(OpusHead.preSkip(of: head) == 312)
        #expect(OpusHead.make(channels: 6, preSkip: 0) == nil)  // needs a mapping table
    }

    @Test("Opus packet durations come from the TOC byte")
    func opusDurations() {
        func samples(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBytes { OpusPacketDuration.samples($0) } }
        #expect(samples([0x78]) == 960)  // config 15 (hybrid 20 ms), one frame
        #expect(samples([0xFC]) == 960)  // config 31 (CELT 20 ms), one frame
        #expect(samples([0x09]) == 1_920)  // config 1 (SILK 20 ms), two frames
        #expect(samples([0x03, 0x03]) == 1_440)  // config 0 (SILK 10 ms), code 3, three frames
        #expect(samples([0x1B, 0x07]) == nil)  // 7 x 60 ms is more than 120 ms
        #expect(samples([]) == nil)
    }

    @Test("Every Opus frame of the fixture gets a 20 ms duration")
    func fixtureOpusDurations() throws {
        let fixtures = try MediaFixtures.shared()
        for frame in fixtures.opus.frames {
            #expect(frame.data.withUnsafeBytes { OpusPacketDuration.samples($0) } == 960)
        }
    }

    @Test("H.264 parameter sets are found behind 3- and 4-byte start codes")
    func h264ParameterSets() throws {
        let frame: [UInt8] = [0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1E, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80,
                              0, 0, 0, 1, 0x65, 0x88, 0x84]
        #expect(H264AnnexB.parameterSets(in: frame) == [0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1E, 0, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80])
        #expect(H264AnnexB.parameterSets(in: [0, 0, 0, 1, 0x65, 0x88]) == nil)
        let fixtures = try MediaFixtures.shared()
        let delta = try #require(fixtures.h264.frames.first { !$0.isKeyframe })
        #expect(H264AnnexB.parameterSets(in: delta.data) == nil)
    }
}
