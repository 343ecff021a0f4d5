import RTC
import Testing

/// A sender's SDP: the offer it makes when it arrives after the others, the answer it gives
/// when offered to, and the streams both negotiations set up.
@Suite("SDP for a sender: send-only offers and sending answers")
struct SDPSendOnlyOfferTests {
    private let transport = SDPFixture.localTransport
    private let remoteTransport = SDP.TransportParameters(
        iceUfrag: "rem1", icePwd: "remotepasswordremotepass",
        fingerprint: DTLSFingerprint(algorithm: .sha256, digest: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 11) }))
    private let audio = SDP.OutboundTrack(kind: .audio, ssrc: 1_111, cname: "pub-1",
                                          msid: SDP.MSID(streamID: "stream-1", trackID: "audio-1"))
    private let video = SDP.OutboundTrack(kind: .video, ssrc: 2_222, retransmissionSSRC: 3_333, cname: "pub-1",
                                          msid: SDP.MSID(streamID: "stream-1", trackID: "video-1"))

    @Test func offerDeclaresTracks() throws {
        let offer = SDP.SendOnlyOfferBuilder(tracks: [audio, video]).offer(transport: transport, sessionID: 7)
        #expect(offer.groups == [.bundle(["0", "1"])])
        #expect(offer.media.map(\.kind) == [.audio, .video])
        for section in offer.media {
            #expect(section.direction == .sendonly)
            #expect(section.setup == .actpass)
            #expect(section.rtcpMux && section.rtcpReducedSize)
            #expect(section.extensionMaps.contains { $0.uri == SDP.HeaderExtensionURI.mid })
        }
        #expect(offer.media[0].payloadTypes == [111])
        #expect(offer.media[0].msids == [SDP.MSID(streamID: "stream-1", trackID: "audio-1")])
        #expect(offer.media[0].declaredSSRCs == [1_111])
        #expect(offer.media[0].ssrcGroups.isEmpty)
        let videoSection = offer.media[1]
        #expect(videoSection.payloadTypes == [96, 97], "VP8 and its RTX only")
        #expect(videoSection.retransmissionPayloadTypes == [97: 96])
        #expect(videoSection.feedback(for: 96).map { [$0.type, $0.parameter ?? ""] } == [
            ["nack", ""], ["nack", "pli"], ["ccm", "fir"], ["goog-remb", ""], ["transport-cc", ""],
        ])
        #expect(videoSection.ssrcGroups == [SDP.SSRCGroup(semantics: "FID", ssrcs: [2_222, 3_333])])
        #expect(videoSection.declaredSSRCs == [2_222, 3_333])

        let text = offer.serialized()
        #expect(try SDP.SessionDescription(parsing: text) == offer)
        #expect(text.contains("\r\na=sendonly\r\na=msid:stream-1 video-1\r\n"))
        #expect(text.contains("\r\na=ssrc-group:FID 2222 3333\r\na=ssrc:2222 cname:pub-1\r\na=ssrc:2222 msid:stream-1 video-1\r\n"))
    }

    /// The recorder's own answerer takes the offer as any receiver would: recvonly, learning our
    /// SSRCs, RTX pairing and msid from it; the answer gives us one stream per track.
    @Test func recorderAnswerSetsUpStreams() throws {
        let builder = SDP.SendOnlyOfferBuilder(tracks: [audio, video])
        let offer = builder.offer(transport: transport, sessionID: 7)
        let answer = try SDP.AnswerBuilder().answer(to: try SDP.SessionDescription(parsing: offer.serialized()),
                                                    transport: remoteTransport, sessionID: 8)
        let receiving = answer.negotiation
        #expect(receiving.media.map(\.localDirection) == [.recvonly, .recvonly])
        #expect(receiving.media[1].remoteSSRCs == [2_222, 3_333])
        #expect(receiving.media[1].retransmissionSSRCs == [SDP.SSRCPair(media: 2_222, retransmission: 3_333)])
        #expect(receiving.media[1].remoteMSID == video.msid)
        #expect(receiving.media[1].remoteCNAME == "pub-1")

        let sending = try builder.negotiate(answer: SDP.SessionDescription(parsing: answer.sessionDescription.serialized()), to: offer)
        #expect(sending.media.map(\.localDirection) == [.sendonly, .sendonly])
        #expect(sending.media.map(\.localTrack) == [audio, video])
        let audioStream = try #require(OutboundStream.Configuration(sending: sending.media[0]))
        #expect([audioStream.ssrc, UInt32(audioStream.payloadType), UInt32(audioStream.clockRate)] == [1_111, 111, 48_000])
        #expect(audioStream.rtxSSRC == nil && audioStream.rtxPayloadType == nil)
        #expect(audioStream.mid == "0" && audioStream.midExtensionID == 4)
        let videoStream = try #require(OutboundStream.Configuration(sending: sending.media[1]))
        #expect([videoStream.ssrc, UInt32(videoStream.payloadType), UInt32(videoStream.clockRate)] == [2_222, 96, 90_000])
        #expect(videoStream.rtxSSRC == 3_333 && videoStream.rtxPayloadType == 97)
        #expect(videoStream.mid == "1" && videoStream.midExtensionID == 4)
    }

    /// A receiver that declines video (port 0) gets audio only; nothing is set up for the rest.
    @Test func declinedSectionSendsNothing() throws {
        let builder = SDP.SendOnlyOfferBuilder(tracks: [audio, video])
        let offer = builder.offer(transport: transport, sessionID: 7)
        var answer = try SDP.AnswerBuilder().answer(to: offer, transport: remoteTransport, sessionID: 8).sessionDescription
        answer.media[1].port = 0
        answer.groups = [.bundle(["0"])]
        let sending = try builder.negotiate(answer: answer, to: offer)
        #expect(sending.media.map(\.mid) == ["0"])
        #expect(sending.rejectedMids == ["1"])
        #expect(sending.media.compactMap(OutboundStream.Configuration.init(sending:)).map(\.ssrc) == [1_111])
    }

    /// Answering the recorder's receive-only offer (H.264 and VP9 preferred there): each section
    /// is answered sendonly with VP8, the track of its kind declared in it.
    @Test func sendingAnswerDeclaresTracks() throws {
        let receiveOffer = SDP.ReceiveOnlyOfferBuilder(audioSections: 1, videoSections: 2,
                                                       codecs: SDP.CodecPreferences(preferredVideo: .vp9))
            .offer(transport: remoteTransport, sessionID: 3)
        let answer = try SDP.AnswerBuilder(sends: true, tracks: [video, audio])
            .answer(to: receiveOffer, transport: transport, sessionID: 4)
        let sections = answer.sessionDescription.media
        #expect(sections.map(\.direction) == [.sendonly, .sendonly, .inactive])
        #expect(sections[0].declaredSSRCs == [1_111])
        #expect(sections[1].declaredSSRCs == [2_222, 3_333])
        #expect(sections[1].payloadTypes == [96, 97], "VP8 only: the sender encodes nothing else")
        #expect(sections[2].declaredSSRCs.isEmpty, "one video track, for the first video section")
        #expect(answer.negotiation.media.map(\.localTrack) == [audio, video, nil])
        let streams = answer.negotiation.media.compactMap(OutboundStream.Configuration.init(sending:))
        #expect(streams.map(\.ssrc) == [1_111, 2_222])
        #expect(streams[1].rtxPayloadType == 97 && streams[1].mid == "1")

        // The recorder reads the answer back and learns the SSRCs before the first packet.
        let received = try SDP.ReceiveOnlyOfferBuilder(audioSections: 1, videoSections: 2,
                                                        codecs: SDP.CodecPreferences(preferredVideo: .vp9))
            .negotiate(answer: SDP.SessionDescription(parsing: answer.sessionDescription.serialized()), to: receiveOffer)
        #expect(received.media.map(\.localDirection) == [.recvonly, .recvonly, .inactive])
        #expect(received.media[1].retransmissionSSRCs == [SDP.SSRCPair(media: 2_222, retransmission: 3_333)])
    }
}
