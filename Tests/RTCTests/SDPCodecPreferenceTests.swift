import RTC
import Testing

@Suite("Codec preference: the preferred video codec is listed first, so senders pick it")
struct SDPCodecPreferenceTests {
    @Test("answering Chromium's offer with H.264 or VP9 preferred puts it (and its RTX) first", arguments: [
        (SDP.SupportedCodec.h264, "H264"), (.vp9, "VP9"), (.vp8, "VP8"),
    ])
    func answer(preferred: SDP.SupportedCodec, name: String) throws {
        let answer = try SDP.AnswerBuilder(codecs: SDP.CodecPreferences(preferredVideo: preferred))
            .answer(to: SDPFixture.parsed("chromium-offer-av"), transport: SDPFixture.localTransport, sessionID: 1)
        let video = try #require(answer.negotiation.media.first { $0.kind == .video })
        #expect(video.codecs.first?.codec == preferred)
        let section = try #require(answer.sessionDescription.media.first { $0.kind == .video })
        let first = try #require(section.payloadTypes.first)
        #expect(section.rtpMap(for: first)?.encodingName.uppercased() == name.uppercased())
        // Its RTX format comes right after it.
        let second = try #require(section.payloadTypes.dropFirst().first)
        #expect(section.formatParameters(for: second)?.associatedPayloadType == first)
    }

    @Test("without a preference the offer's order stands (VP8 first for Chromium)")
    func remoteOrder() throws {
        let answer = try SDP.AnswerBuilder(codecs: SDP.CodecPreferences(h264: true, vp9: true))
            .answer(to: SDPFixture.parsed("chromium-offer-av"), transport: SDPFixture.localTransport, sessionID: 1)
        #expect(answer.negotiation.media.first { $0.kind == .video }?.codecs.first?.codec == .vp8)
    }

    @Test("our receive-only offer lists the preferred codec first")
    func offer() throws {
        let transport = SDPFixture.localTransport
        let offer = SDP.ReceiveOnlyOfferBuilder(audioSections: 1, videoSections: 1, codecs: SDP.CodecPreferences(preferredVideo: .h264))
            .offer(transport: transport, sessionID: 1, sessionVersion: 1)
        let video = try #require(offer.media.first { $0.kind == .video })
        let first = try #require(video.payloadTypes.first)
        #expect(video.rtpMap(for: first)?.encodingName == "H264")
        #expect(video.payloadTypes.count == 4, "H.264 and VP8, each with RTX")
    }
}
