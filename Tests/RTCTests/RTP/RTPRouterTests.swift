@testable import RTC
import Testing

/// Routing against a real Chromium offer as the recorder answered it: audio mid 0 (Opus 111),
/// video mid 1 (VP8 96, RTX 97), MID extension id 4, declared video SSRCs 1544068017 (+ RTX
/// 3048468516) and audio SSRC 64315537.
@Suite("RTP router: MID, then SSRC, then payload type; RTX unwrapped")
struct RTPRouterTests {
    let start = ContinuousClock.now
    /// A VP8 payload descriptor with S=1, then a keyframe's frame tag, start code and 640x480.
    static let keyframePayload: [UInt8] = [0x10, 0x10, 0x00, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]

    private func makeRouter() throws -> RTPRouter {
        let answer = try SDP.AnswerBuilder().answer(to: SDPFixture.parsed("chromium-offer-av"), transport: SDPFixture.localTransport,
                                                    sessionID: 1)
        return RTPRouter(negotiation: answer.negotiation, tuning: ReceiverTuning())
    }

    /// An RTP packet with an optional one-byte MID extension (id 4) and a VP8-ish payload.
    private func packet(ssrc: UInt32, payloadType: UInt8, sequence: UInt16, mid: String? = nil, marker: Bool = true,
                        payload: [UInt8] = RTPRouterTests.keyframePayload + [0xAA]) -> [UInt8] {
        var bytes: [UInt8] = [mid == nil ? 0x80 : 0x90, (marker ? 0x80 : 0) | payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF),
                              0, 0, 0x0B, 0xB8, UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
        if let mid {
            let value = Array(mid.utf8)
            let length = 1 + value.count, words = (length + 3) / 4
            bytes += [0xBE, 0xDE, 0, UInt8(words), 0x40 | UInt8(value.count - 1)] + value + Array(repeating: 0, count: words * 4 - length)
        }
        return bytes + payload
    }

    private func route(_ router: RTPRouter, _ bytes: [UInt8], frames: inout [MediaFrame]) -> InboundStream? {
        var out: [MediaFrame] = []
        let stream = bytes.withUnsafeBytes { buffer in
            router.receive(RTPPacketView(buffer)!, now: start) { frame, _ in
                out.append(frame)
                return .taken
            }
        }
        frames += out
        return stream
    }

    @Test("an undeclared SSRC with a MID extension joins that section; its SSRC is learned")
    func midFirst() throws {
        let router = try makeRouter()
        var frames: [MediaFrame] = []
        // Payload type 96 is VP8 (video, mid 1); the MID says 1 too.
        let stream = try #require(route(router, packet(ssrc: 0xABCD, payloadType: 96, sequence: 1, mid: "1"), frames: &frames))
        #expect(stream.description.mid == "1")
        #expect(stream.description.codec == .vp8)
        #expect(stream.description.nack && stream.description.pli && stream.description.retransmitsOnRTX)
        // Later packets carry no MID: the SSRC is remembered.
        #expect(route(router, packet(ssrc: 0xABCD, payloadType: 96, sequence: 2), frames: &frames) === stream)
        #expect(frames.first?.isKeyframe == true)
        #expect(frames.first?.width == 640)
        #expect(router.streams.count == 1)
    }

    @Test("10,000 SSRCs from one peer: streams stop at the limit, the rest are counted, the first stream carries on")
    func ssrcFlood() throws {
        let router = try makeRouter()
        var frames: [MediaFrame] = []
        let first = try #require(route(router, packet(ssrc: 1, payloadType: 96, sequence: 1, mid: "1"), frames: &frames))
        for ssrc in UInt32(2)...10_001 {
            _ = route(router, packet(ssrc: ssrc, payloadType: 96, sequence: 1, mid: "1"), frames: &frames)
            frames.removeAll()
        }
        #expect(router.streams.count == router.maximumSSRCs)
        #expect(router.refusedSSRCs >= 10_000 - router.maximumSSRCs)
        // Packets of a refused SSRC go on being refused; the first stream still delivers frames.
        #expect(route(router, packet(ssrc: 9_999, payloadType: 96, sequence: 2, mid: "1"), frames: &frames) == nil)
        #expect(route(router, packet(ssrc: 1, payloadType: 96, sequence: 2, mid: "1"), frames: &frames) === first)
        #expect(frames.count == 1)
    }

    @Test("a MID naming a section whose codecs do not include the payload type is not routed")
    func midMismatch() throws {
        let router = try makeRouter()
        var frames: [MediaFrame] = []
        #expect(route(router, packet(ssrc: 1, payloadType: 96, sequence: 1, mid: "0"), frames: &frames) == nil)
        #expect(router.unroutablePackets == 1)
    }

    @Test("a declared SSRC without a MID routes by the SSRC the remote declared")
    func declaredSSRC() throws {
        let router = try makeRouter()
        var frames: [MediaFrame] = []
        let audio = try #require(route(router, packet(ssrc: 64_315_537, payloadType: 111, sequence: 7, payload: [0x78, 1, 2]), frames: &frames))
        #expect(audio.description.mid == "0")
        #expect(audio.description.codec == .opus)
        #expect(!audio.description.nack, "Chromium offers no NACK for Opus")
        #expect(frames.count == 1)
    }

    @Test("without MID or declared SSRC, the payload type decides; an unknown payload type is counted, not routed")
    func payloadType() throws {
        let router = try makeRouter()
        var frames: [MediaFrame] = []
        let video = try #require(route(router, packet(ssrc: 0x5555, payloadType: 96, sequence: 1), frames: &frames))
        #expect(video.description.mid == "1")
        #expect(route(router, packet(ssrc: 0x6666, payloadType: 35, sequence: 1), frames: &frames) == nil)
        #expect(router.unroutablePackets == 1)
        // A stream that switches to a payload type it was not set up with is not fed.
        #expect(route(router, packet(ssrc: 0x5555, payloadType: 111, sequence: 2), frames: &frames) == nil)
    }

    @Test("RTX is unwrapped into its original stream, by the declared FID pair or the only stream of the section")
    func retransmission() throws {
        let router = try makeRouter()
        var frames: [MediaFrame] = []
        // The declared pair: original 1544068017, RTX 3048468516 (payload type 97, apt=96).
        let original = try #require(route(router, packet(ssrc: 1_544_068_017, payloadType: 96, sequence: 100, marker: false,
                                                          payload: Self.keyframePayload),
                                         frames: &frames))
        // Packet 101 is lost and comes back as RTX: OSN 101, then the original payload.
        _ = route(router, packet(ssrc: 1_544_068_017, payloadType: 96, sequence: 102, payload: [0x00, 0xCC]), frames: &frames)
        #expect(frames.isEmpty, "held behind the hole")
        let viaRTX = route(router, packet(ssrc: 3_048_468_516, payloadType: 97, sequence: 9, marker: false, payload: [0x00, 101, 0x00, 0xBB]),
                           frames: &frames)
        #expect(viaRTX === original)
        #expect(frames.count == 1)
        #expect(frames.first?.isKeyframe == true)
        #expect(original.stats.retransmissionsReceived == 1)
        #expect(original.stats.rtxSSRC == 3_048_468_516)

        // An undeclared RTX SSRC on a section with a single stream repairs that stream.
        let router2 = try makeRouter()
        let stream = try #require(route(router2, packet(ssrc: 0x7777, payloadType: 96, sequence: 1, mid: "1"), frames: &frames))
        #expect(route(router2, packet(ssrc: 0x8888, payloadType: 97, sequence: 1, mid: "1", payload: [0x00, 0x01, 0x10]), frames: &frames) === stream)
        // Padding-only RTX (bandwidth probing) repairs nothing.
        #expect(route(router2, packet(ssrc: 0x8888, payloadType: 97, sequence: 2, payload: []), frames: &frames) == nil)
        #expect(router2.paddingOnlyPackets == 1)
    }

    @Test("RTX that arrives before any original packet is not routed yet")
    func retransmissionFirst() throws {
        let router = try makeRouter()
        var frames: [MediaFrame] = []
        #expect(route(router, packet(ssrc: 0x9999, payloadType: 97, sequence: 1, payload: [0, 1, 2]), frames: &frames) == nil)
        #expect(router.streams.isEmpty)
    }
}
