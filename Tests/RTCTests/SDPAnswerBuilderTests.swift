import RTC
import Testing

/// What the answer to one fixture must look like, section by section.
struct SDPAnswerExpectation: Sendable, CustomTestStringConvertible {
    struct Section: Sendable {
        let mid: String
        let port: UInt16
        let formats: [String]
        let direction: SDP.Direction?
    }

    let fixture: String
    let codecs: SDP.CodecPreferences
    let bundle: [String]
    let sections: [Section]

    var testDescription: String {
        fixture + (codecs.h264 ? " +H264" : "") + (codecs.vp9 ? " +VP9" : "")
    }

    static func accepted(_ mid: String, _ formats: [String], _ direction: SDP.Direction = .recvonly) -> Section {
        Section(mid: mid, port: 9, formats: formats, direction: direction)
    }

    static func rejected(_ mid: String, _ format: String, _ direction: SDP.Direction? = nil) -> Section {
        Section(mid: mid, port: 0, formats: [format], direction: direction)
    }

    static let all: [SDPAnswerExpectation] = {
        let base = SDP.CodecPreferences()
        let every = SDP.CodecPreferences(h264: true, vp9: true)
        return [
            .init(fixture: "chromium-offer-av", codecs: base, bundle: ["0", "1"],
                  sections: [accepted("0", ["111"]), accepted("1", ["96", "97"])]),
            // H.264 with packetization-mode=0 (104, 114, 39) and VP9 profile 2 (100) stay out.
            .init(fixture: "chromium-offer-av", codecs: every, bundle: ["0", "1"],
                  sections: [accepted("0", ["111"]), accepted("1", ["96", "97", "102", "103", "108", "109", "116", "117", "98", "99"])]),
            .init(fixture: "chromium-offer-av-datachannel", codecs: base, bundle: ["0", "1"],
                  sections: [accepted("0", ["111"]), accepted("1", ["96", "97"]), rejected("2", "webrtc-datachannel")]),
            .init(fixture: "aiortc-offer-av", codecs: base, bundle: ["0", "1"],
                  sections: [accepted("0", ["96"]), accepted("1", ["97", "98"])]),
            .init(fixture: "aiortc-offer-av", codecs: SDP.CodecPreferences(h264: true), bundle: ["0", "1"],
                  sections: [accepted("0", ["96"]), accepted("1", ["97", "98", "99", "100", "101", "102"])]),
            .init(fixture: "firefox-offer-av", codecs: base, bundle: ["0", "1"],
                  sections: [accepted("0", ["109"]), accepted("1", ["120", "124"])]),
            // Firefox's 97 is H.264 without packetization-mode (mode 0), so it and its RTX 98 stay out.
            .init(fixture: "firefox-offer-av", codecs: every, bundle: ["0", "1"],
                  sections: [accepted("0", ["109"]), accepted("1", ["120", "124", "121", "125", "126", "127"])]),
            .init(fixture: "firefox-legacy-offer-session-ice", codecs: base, bundle: ["sdparta_0", "sdparta_1"],
                  sections: [accepted("sdparta_0", ["109"]), accepted("sdparta_1", ["120"])]),
            .init(fixture: "firefox-legacy-offer-session-ice", codecs: every, bundle: ["sdparta_0", "sdparta_1"],
                  sections: [accepted("sdparta_0", ["109"]), accepted("sdparta_1", ["120", "126"])]),
            .init(fixture: "safari-offer-av", codecs: base, bundle: ["0", "1"],
                  sections: [accepted("0", ["111"]), accepted("1", ["127", "125"])]),
            // Safari prefers H.264 (High first); the answer keeps that order.
            .init(fixture: "safari-offer-av", codecs: every, bundle: ["0", "1"],
                  sections: [accepted("0", ["111"]), accepted("1", ["96", "97", "98", "99", "127", "125", "104", "105"])]),
            .init(fixture: "safari-offer-av", codecs: SDP.CodecPreferences(vp9: true), bundle: ["0", "1"],
                  sections: [accepted("0", ["111"]), accepted("1", ["127", "125", "104", "105"])]),
        ]
    }()
}

@Suite("SDP answers")
struct SDPAnswerBuilderTests {
    private let transport = SDPFixture.localTransport

    @Test("answer matches the offer's sections", arguments: SDPAnswerExpectation.all)
    func answerShape(expected: SDPAnswerExpectation) throws {
        let offer = try SDPFixture.parsed(expected.fixture)
        let answer = try SDP.AnswerBuilder(codecs: expected.codecs).answer(to: offer, transport: transport, sessionID: 7, sessionVersion: 3)
        let description = answer.sessionDescription

        #expect(description.origin.sessionID == 7)
        #expect(description.origin.sessionVersion == 3)
        #expect(description.msidSemantic == SDP.MSIDSemantic(semantic: "WMS"))
        #expect(description.groups == [.bundle(expected.bundle)])
        #expect(description.media.map(\.mid) == expected.sections.map(\.mid))
        #expect(description.media.map(\.port) == expected.sections.map(\.port))
        #expect(description.media.map(\.formats) == expected.sections.map(\.formats))
        #expect(description.media.map(\.direction) == expected.sections.map(\.direction))
        #expect(description.media.map(\.kind) == offer.media.map(\.kind))
        #expect(description.media.map(\.proto) == offer.media.map(\.proto))

        for (section, offered) in zip(description.media, offer.media) {
            // Our transport, as the DTLS client, in every section.
            #expect(section.iceUfrag == transport.iceUfrag)
            #expect(section.icePwd == transport.icePwd)
            #expect(section.fingerprints == [transport.fingerprint])
            #expect(section.setup == .active)
            // A receive-only answer announces no sources.
            #expect(section.msids.isEmpty && section.ssrcs.isEmpty && section.ssrcGroups.isEmpty)
            #expect(section.candidates.isEmpty)
            guard section.port != 0 else {
                #expect(section.rtpMaps.isEmpty && section.extensionMaps.isEmpty)
                continue
            }
            #expect(section.iceOptions == ["trickle"])
            #expect(section.rtcpMux)
            #expect(section.rtcpReducedSize == offered.rtcpReducedSize)
            #expect(section.connection == SDP.Connection(networkType: "IN", addressType: "IP4", address: "0.0.0.0"))
            // Codecs keep the offer's numbers and descriptions.
            for payloadType in section.payloadTypes {
                #expect(section.rtpMap(for: payloadType) == offered.rtpMap(for: payloadType))
                #expect(section.formatParameters(for: payloadType) == offered.formatParameters(for: payloadType))
            }
            #expect(section.rtpMaps.count == section.payloadTypes.count)
            for (rtx, primary) in section.retransmissionPayloadTypes {
                #expect(section.payloadTypes.contains(rtx) && section.payloadTypes.contains(primary))
            }
            // Feedback: only messages we act on, and only ones the offer declared for that codec.
            for feedback in section.feedback {
                #expect(feedback.isSupportedByReceiver)
                let payloadType = try #require(feedback.payloadType)
                #expect(offered.feedback(for: payloadType).contains { $0.hasSameMessage(as: feedback) })
            }
            // Extensions: only the supported ones, under the offer's ids.
            for extensionMap in section.extensionMaps {
                #expect(SDP.HeaderExtensionURI.supported.contains(extensionMap.uri))
                #expect(offered.extensionMaps.contains { $0.id == extensionMap.id && $0.uri == extensionMap.uri })
            }
            let offeredSupported = offered.extensionMaps.filter {
                SDP.HeaderExtensionURI.supported.contains($0.uri) && $0.direction != .recvonly
            }
            #expect(section.extensionMaps.map(\.id) == offeredSupported.map(\.id))
        }

        // The negotiation says the same as the answer.
        let negotiation = answer.negotiation
        let accepted = expected.sections.filter { $0.port != 0 }
        #expect(negotiation.media.map(\.mid) == accepted.map(\.mid))
        #expect(negotiation.rejectedMids == expected.sections.filter { $0.port == 0 }.map(\.mid))
        #expect(negotiation.bundleMids == expected.bundle)
        #expect(negotiation.localSetupRole == .active)
        for (media, section) in zip(negotiation.media, accepted) {
            let answered = try #require(description.media(mid: section.mid))
            #expect(media.codecs.map(\.payloadType) + media.retransmissionPayloadTypes.keys.sorted()
                == answered.payloadTypes.filter { !answered.retransmissionPayloadTypes.keys.contains($0) }
                + answered.retransmissionPayloadTypes.keys.sorted())
            #expect(media.retransmissionPayloadTypes == answered.retransmissionPayloadTypes)
            #expect(media.localDirection == section.direction)
            #expect(media.headerExtensionIDs.count == answered.extensionMaps.count)
        }

        // The answer is itself a description that survives a round trip.
        let reparsed = try SDP.SessionDescription(parsing: description.serialized())
        #expect(reparsed == description)
    }

    @Test func chromiumNegotiationDetails() throws {
        let offer = try SDPFixture.parsed("chromium-offer-av")
        let negotiation = try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1).negotiation
        let audio = try #require(negotiation.media(mid: "0"))
        #expect(audio.kind == .audio)
        #expect(audio.codecs == [SDP.NegotiatedCodec(
            payloadType: 111, codec: .opus, encodingName: "opus", clockRate: 48000, channels: 2,
            formatParameters: SDP.FormatParameters(payloadType: 111, raw: "minptime=10;useinbandfec=1"),
            feedback: [SDP.RTCPFeedback(payloadType: 111, type: "transport-cc")])])
        #expect(audio.headerExtensionIDs == [
            SDP.HeaderExtensionURI.audioLevel: 1, SDP.HeaderExtensionURI.absoluteSendTime: 2,
            SDP.HeaderExtensionURI.transportWideCC: 3, SDP.HeaderExtensionURI.mid: 4,
        ])
        #expect(audio.remoteSSRCs == [64315537])
        #expect(audio.remoteCNAME == "oVw8eJuOiHHufGf/")
        #expect(audio.remoteMSID == SDP.MSID(streamID: "80f6b053-9d60-49ec-ace2-7b95ffc1757a", trackID: "0f2baca8-9ca8-4dd8-98d6-955d44b741ee"))

        let video = try #require(negotiation.media(mid: "1"))
        #expect(video.codecs.map(\.codec) == [.vp8])
        #expect(video.codec(payloadType: 96)?.accepts(type: "nack", parameter: "pli") == true)
        #expect(video.codec(payloadType: 96)?.accepts(type: "goog-remb") == true)
        #expect(video.codec(payloadType: 96)?.feedback.count == 5)
        #expect(video.retransmissionPayloadTypes == [97: 96])
        #expect(video.remoteSSRCs == [1544068017, 3048468516])
        #expect(video.retransmissionSSRCs == [SDP.SSRCPair(media: 1544068017, retransmission: 3048468516)])
        #expect(video.headerExtensionID(SDP.HeaderExtensionURI.mid) == 4)
        #expect(video.headerExtensionID(SDP.HeaderExtensionURI.audioLevel) == nil)

        let remote = try #require(negotiation.remoteTransport)
        #expect(remote.iceUfrag == "L4Nx")
        #expect(remote.icePwd == "SZxI4ezEz9yG4QLxLkTcTw06")
        #expect(remote.candidates.count == 4)
        #expect(remote.fingerprints.first?.algorithm == .sha256)
    }

    @Test func sessionLevelTransportIsUsed() throws {
        let legacy = try SDPFixture.parsed("firefox-legacy-offer-session-ice")
        let negotiation = try SDP.AnswerBuilder().answer(to: legacy, transport: transport, sessionID: 1).negotiation
        let remote = try #require(negotiation.remoteTransport)
        #expect(remote.iceUfrag == legacy.iceUfrag)
        #expect(remote.icePwd == legacy.icePwd)
        #expect(remote.fingerprints == legacy.fingerprints)
        #expect(negotiation.media(mid: "sdparta_1")?.remoteDirection == .sendonly)

        let firefox = try SDPFixture.parsed("firefox-offer-av")
        let media = try SDP.AnswerBuilder().answer(to: firefox, transport: transport, sessionID: 1).negotiation.media
        #expect(media.allSatisfy { $0.remoteTransport.fingerprints == firefox.fingerprints })
        // Firefox's playout-delay is recvonly and csrc-audio-level unsupported: neither is kept.
        #expect(media[0].headerExtensionIDs == [SDP.HeaderExtensionURI.audioLevel: 1, SDP.HeaderExtensionURI.mid: 3])
        #expect(media[1].headerExtensionIDs == [
            SDP.HeaderExtensionURI.mid: 3, SDP.HeaderExtensionURI.absoluteSendTime: 4, SDP.HeaderExtensionURI.transportWideCC: 7,
        ])
    }

    @Test func offerThatDoesNotSendIsAnsweredInactive() throws {
        var offer = try SDPFixture.parsed("chromium-offer-av")
        offer.media[0].direction = .recvonly
        offer.media[1].direction = .inactive
        let answer = try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        #expect(answer.sessionDescription.media.map(\.direction) == [.inactive, .inactive])
        #expect(answer.sessionDescription.media.map(\.port) == [9, 9])
        #expect(answer.negotiation.media.map(\.receives) == [false, false])

        offer.media[0].direction = .sendonly
        offer.media[1].direction = nil  // absent means sendrecv
        let sending = try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        #expect(sending.sessionDescription.media.map(\.direction) == [.recvonly, .recvonly])
    }

    @Test func sectionsWithoutCommonCodecAreRejected() throws {
        var offer = try SDPFixture.parsed("safari-offer-av")
        // Leave Safari only H.264 and its RTX: nothing in common unless H.264 is enabled.
        offer.media[1].payloadTypes = [96, 97, 98, 99]
        let answer = try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        let video = answer.sessionDescription.media[1]
        #expect(video.port == 0)
        #expect(video.formats == ["96"])
        #expect(video.mid == "1")
        #expect(video.direction == .inactive)
        #expect(answer.sessionDescription.groups == [.bundle(["0"])])
        #expect(answer.negotiation.rejectedMids == ["1"])

        let withH264 = try SDP.AnswerBuilder(codecs: SDP.CodecPreferences(h264: true)).answer(to: offer, transport: transport, sessionID: 1)
        #expect(withH264.sessionDescription.media[1].formats == ["96", "97", "98", "99"])
    }

    @Test func disabledAndUnknownSectionsAreRejected() throws {
        var offer = try SDPFixture.parsed("chromium-offer-av-datachannel")
        offer.media[0].port = 0
        offer.groups = [.bundle(["1", "2"])]
        var text = SDP.MediaDescription(kind: .other("text"), port: 9, proto: "UDP/TLS/RTP/SAVPF", payloadTypes: [98])
        text.mid = "3"
        offer.media.append(text)
        var plain = SDP.MediaDescription(kind: .audio, port: 9, proto: "RTP/AVP", payloadTypes: [111])
        plain.mid = "4"
        plain.rtpMaps = [SDP.RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2)]
        offer.media.append(plain)
        let answer = try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        #expect(answer.sessionDescription.media.map(\.port) == [0, 9, 0, 0, 0])
        #expect(answer.sessionDescription.media.map(\.formats) == [["111"], ["96", "97"], ["webrtc-datachannel"], ["98"], ["111"]])
        #expect(answer.negotiation.rejectedMids == ["0", "2", "3", "4"])
        #expect(answer.sessionDescription.groups == [.bundle(["1"])])
    }

    @Test func bundleOnlySectionWithPortZeroIsAccepted() throws {
        var offer = try SDPFixture.parsed("chromium-offer-av")
        offer.media[1].port = 0
        offer.media[1].bundleOnly = true
        let answer = try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        #expect(answer.sessionDescription.media.map(\.port) == [9, 9])
        #expect(answer.sessionDescription.media[1].bundleOnly == false)
    }

    @Test func dtlsRoles() throws {
        var offer = try SDPFixture.parsed("chromium-offer-av")
        for index in offer.media.indices { offer.media[index].setup = .active }
        let passive = try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        #expect(passive.sessionDescription.media.map(\.setup) == [.passive, .passive])
        #expect(passive.negotiation.localSetupRole == .passive)

        for index in offer.media.indices { offer.media[index].setup = .holdconn }
        #expect(throws: SDP.NegotiationError.unusableSetupRole(mid: "0", role: .holdconn)) {
            try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        }
    }

    @Test func missingRemoteTransportIsAnError() throws {
        var offer = try SDPFixture.parsed("chromium-offer-av")
        offer.media[0].fingerprints = []
        #expect(throws: SDP.NegotiationError.missingFingerprint(mid: "0")) {
            try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        }
        offer = try SDPFixture.parsed("chromium-offer-av")
        offer.media[1].icePwd = nil
        let error = #expect(throws: SDP.NegotiationError.self) {
            try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1)
        }
        #expect(error == .missingICECredentials(mid: "1"))
        #expect(error?.description.contains("\"1\"") == true)

        // A rejected section needs no transport of its own.
        offer = try SDPFixture.parsed("chromium-offer-av-datachannel")
        offer.media[2].fingerprints = []
        offer.media[2].iceUfrag = nil
        #expect(throws: Never.self) { try SDP.AnswerBuilder().answer(to: offer, transport: transport, sessionID: 1) }
    }
}
