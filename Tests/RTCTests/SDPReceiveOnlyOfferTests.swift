import RTC
import Testing

@Suite("SDP receive-only offers")
struct SDPReceiveOnlyOfferTests {
    private let transport = SDPFixture.localTransport

    @Test func defaultOfferShape() throws {
        let offer = SDP.ReceiveOnlyOfferBuilder().offer(transport: transport, sessionID: 99, sessionVersion: 1)
        #expect(offer.origin.sessionID == 99)
        #expect(offer.groups == [.bundle(["0", "1"])])
        #expect(offer.msidSemantic == SDP.MSIDSemantic(semantic: "WMS"))
        #expect(offer.media.map(\.kind) == [.audio, .video])
        #expect(offer.media.map(\.mid) == ["0", "1"])
        for section in offer.media {
            #expect(section.port == 9)
            #expect(section.proto == "UDP/TLS/RTP/SAVPF")
            #expect(section.direction == .recvonly)
            #expect(section.setup == .actpass)
            #expect(section.iceUfrag == "rec1" && section.icePwd == "recorderpasswordrecorder")
            #expect(section.iceOptions == ["trickle"])
            #expect(section.fingerprints == [transport.fingerprint])
            #expect(section.rtcpMux && section.rtcpReducedSize)
            #expect(section.ssrcs.isEmpty && section.msids.isEmpty)
        }

        let audio = offer.media[0]
        #expect(audio.payloadTypes == [111])
        #expect(audio.rtpMap(for: 111) == SDP.RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(audio.formatParameters(for: 111)?.raw == "minptime=10;useinbandfec=1")
        #expect(audio.feedback == [SDP.RTCPFeedback(payloadType: 111, type: "transport-cc")])
        #expect(audio.extensionMaps.map(\.uri) == [
            SDP.HeaderExtensionURI.audioLevel, SDP.HeaderExtensionURI.absoluteSendTime,
            SDP.HeaderExtensionURI.transportWideCC, SDP.HeaderExtensionURI.mid,
        ])

        let video = offer.media[1]
        #expect(video.payloadTypes == [96, 97])
        #expect(video.rtpMap(for: 96)?.encodingName == "VP8")
        #expect(video.retransmissionPayloadTypes == [97: 96])
        #expect(video.feedback(for: 96).map { [$0.type, $0.parameter ?? ""] } == [
            ["nack", ""], ["nack", "pli"], ["ccm", "fir"], ["goog-remb", ""], ["transport-cc", ""],
        ])
        #expect(video.extensionMaps.map(\.id) == [2, 3, 4])
    }

    @Test func optionalCodecsAndSectionCounts() throws {
        let builder = SDP.ReceiveOnlyOfferBuilder(audioSections: 2, videoSections: 3, codecs: SDP.CodecPreferences(h264: true, vp9: true))
        let offer = builder.offer(transport: transport, sessionID: 1)
        #expect(offer.media.map(\.mid) == ["0", "1", "2", "3", "4"])
        #expect(offer.media.map(\.kind) == [.audio, .audio, .video, .video, .video])
        #expect(offer.groups == [.bundle(["0", "1", "2", "3", "4"])])
        let video = offer.media[2]
        #expect(video.payloadTypes == [96, 97, 102, 103, 98, 99])
        #expect(video.formatParameters(for: 102)?.raw == "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f")
        #expect(video.formatParameters(for: 102)?["profile-level-id"] == "42e01f")
        #expect(video.formatParameters(for: 98)?["profile-id"] == "0")
        #expect(video.retransmissionPayloadTypes == [97: 96, 103: 102, 99: 98])
        #expect(video.feedback.count == 15)
    }

    @Test func emptyOfferHasNoGroup() throws {
        let offer = SDP.ReceiveOnlyOfferBuilder(audioSections: 0, videoSections: -1).offer(transport: transport, sessionID: 1)
        #expect(offer.media.isEmpty && offer.groups.isEmpty)
        #expect(try SDP.SessionDescription(parsing: offer.serialized()) == offer)
    }

    @Test("offer parses back and round trips", arguments: [
        SDP.CodecPreferences(), SDP.CodecPreferences(h264: true), SDP.CodecPreferences(vp9: true), SDP.CodecPreferences(h264: true, vp9: true),
    ])
    func offerRoundTrips(codecs: SDP.CodecPreferences) throws {
        let offer = SDP.ReceiveOnlyOfferBuilder(audioSections: 1, videoSections: 2, codecs: codecs).offer(transport: transport, sessionID: 5)
        let text = offer.serialized()
        let parsed = try SDP.SessionDescription(parsing: text)
        #expect(parsed == offer)
        #expect(parsed.serialized() == text)
        #expect(text.contains("\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"))
        #expect(text.contains("\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"))
        #expect(text.contains("\r\na=setup:actpass\r\n"))
        #expect(text.contains("\r\na=recvonly\r\n"))
        // Our own answerer accepts it, and has nothing to receive from a receive-only offerer.
        let answer = try SDP.AnswerBuilder(codecs: codecs).answer(to: parsed, transport: transport, sessionID: 6)
        #expect(answer.sessionDescription.media.map(\.direction) == [.inactive, .inactive, .inactive])
        #expect(answer.sessionDescription.media.map(\.formats) == parsed.media.map(\.formats))
    }

    /// Chromium 156 answered this builder's offer (2 audio + 2 video, H.264 and VP9 enabled),
    /// sending a microphone and a camera on the first audio and the first video section.
    @Test func chromiumAnswerNegotiates() throws {
        let builder = SDP.ReceiveOnlyOfferBuilder(audioSections: 2, videoSections: 2, codecs: SDP.CodecPreferences(h264: true, vp9: true))
        let offer = builder.offer(transport: transport, sessionID: 42)
        let answer = try SDPFixture.parsed("chromium-answer-to-recvonly-offer")
        let negotiation = try builder.negotiate(answer: answer, to: offer)
        #expect(negotiation.media.map(\.mid) == ["0", "1", "2", "3"])
        #expect(negotiation.media.map(\.localDirection) == [.recvonly, .inactive, .recvonly, .inactive])
        #expect(negotiation.media.map(\.remoteDirection) == [.sendonly, .inactive, .sendonly, .inactive])
        #expect(negotiation.bundleMids == ["0", "1", "2", "3"])
        #expect(negotiation.rejectedMids.isEmpty)
        #expect(negotiation.localSetupRole == .passive)  // Chromium answered a=setup:active

        let audio = try #require(negotiation.media(mid: "0"))
        #expect(audio.codecs.map(\.payloadType) == [111])
        #expect(audio.remoteSSRCs == answer.media[0].declaredSSRCs)
        #expect(audio.remoteSSRCs.count == 1)
        #expect(audio.remoteMSID == answer.media[0].msids.first)

        let video = try #require(negotiation.media(mid: "2"))
        #expect(video.codecs.map(\.codec) == [.vp8, .h264, .vp9])
        #expect(video.codecs.map(\.payloadType) == [96, 102, 98])
        #expect(video.retransmissionPayloadTypes == [97: 96, 103: 102, 99: 98])
        #expect(video.retransmissionSSRCs.count == 1)
        #expect(video.retransmissionSSRCs.first.map { [$0.media, $0.retransmission] } == answer.media[2].ssrcGroups.first?.ssrcs)
        #expect(video.headerExtensionIDs == [
            SDP.HeaderExtensionURI.absoluteSendTime: 2, SDP.HeaderExtensionURI.transportWideCC: 3, SDP.HeaderExtensionURI.mid: 4,
        ])

        let remote = try #require(negotiation.remoteTransport)
        #expect(remote.iceUfrag == answer.media[0].iceUfrag)
        #expect(!remote.candidates.isEmpty)
    }

    /// aiortc 1.16 answered the default offer (1 audio + 1 video), sending on both.
    @Test func aiortcAnswerNegotiates() throws {
        let builder = SDP.ReceiveOnlyOfferBuilder()
        let offer = builder.offer(transport: transport, sessionID: 42)
        let answer = try SDPFixture.parsed("aiortc-answer-to-recvonly-offer")
        let negotiation = try builder.negotiate(answer: answer, to: offer)
        #expect(negotiation.media.map(\.mid) == ["0", "1"])
        #expect(negotiation.media.map(\.localDirection) == [.recvonly, .recvonly])
        #expect(negotiation.media[0].codecs.map(\.codec) == [.opus])
        #expect(negotiation.media[1].codecs.map(\.codec) == [.vp8])
        #expect(negotiation.media[1].retransmissionPayloadTypes == [97: 96])
        #expect(negotiation.media[1].retransmissionSSRCs.count == 1)
        #expect(negotiation.media[0].headerExtensionIDs == [SDP.HeaderExtensionURI.audioLevel: 1, SDP.HeaderExtensionURI.mid: 4])
        #expect(negotiation.localSetupRole == .passive)
        #expect(negotiation.remoteTransport?.fingerprints.count == 3)
        #expect(negotiation.remoteTransport?.endOfCandidates == true)
    }

    @Test func answerProblems() throws {
        let builder = SDP.ReceiveOnlyOfferBuilder()
        let offer = builder.offer(transport: transport, sessionID: 42)
        let good = try SDPFixture.parsed("aiortc-answer-to-recvonly-offer")

        var renamed = good
        renamed.media[1].mid = "7"
        #expect(throws: SDP.NegotiationError.unexpectedMediaSection(mid: "7")) { try builder.negotiate(answer: renamed, to: offer) }

        var actpass = good
        actpass.media[0].setup = .actpass
        #expect(throws: SDP.NegotiationError.unusableSetupRole(mid: "0", role: .actpass)) { try builder.negotiate(answer: actpass, to: offer) }

        var rejected = good
        rejected.media[1].port = 0
        rejected.groups = [.bundle(["0"])]
        let withoutVideo = try builder.negotiate(answer: rejected, to: offer)
        #expect(withoutVideo.media.map(\.mid) == ["0"])
        #expect(withoutVideo.rejectedMids == ["1"])

        // A format the answer invents (not what we offered under that number) does not count.
        var invented = good
        invented.media[1].rtpMaps[0].encodingName = "VP9"
        let withoutVP8 = try builder.negotiate(answer: invented, to: offer)
        #expect(withoutVP8.rejectedMids == ["1"])
    }
}
