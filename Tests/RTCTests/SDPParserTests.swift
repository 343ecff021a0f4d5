import Foundation
import RTC
import Testing

@Suite("SDP parsing")
struct SDPParserTests {
    @Test("every fixture parses", arguments: SDPFixture.all)
    func fixtureParses(name: String) throws {
        let description = try SDPFixture.parsed(name)
        #expect(!description.media.isEmpty)
        #expect(description.bundleGroup != nil)
        for section in description.media {
            #expect(section.mid != nil)
            #expect(description.iceUfrag(for: section) != nil)
            #expect(description.icePwd(for: section) != nil)
            #expect(!description.fingerprints(for: section).isEmpty)
        }
    }

    @Test func chromiumOfferSessionLevel() throws {
        let offer = try SDPFixture.parsed("chromium-offer-av")
        #expect(offer.origin.username == "-")
        #expect(offer.origin.sessionID == 5031795748535322217)
        #expect(offer.origin.sessionVersion == 2)
        #expect(offer.sessionName == "-")
        #expect(offer.timing == SDP.Timing(start: 0, stop: 0))
        #expect(offer.groups == [.bundle(["0", "1"])])
        #expect(offer.extmapAllowMixed)
        #expect(offer.msidSemantic == SDP.MSIDSemantic(semantic: "WMS", identifiers: ["80f6b053-9d60-49ec-ace2-7b95ffc1757a"]))
        #expect(offer.media.map(\.kind) == [.audio, .video])
    }

    @Test func chromiumOfferAudioSection() throws {
        let audio = try SDPFixture.parsed("chromium-offer-av").media[0]
        #expect(audio.port == 48642)
        #expect(audio.proto == "UDP/TLS/RTP/SAVPF")
        #expect(audio.payloadTypes == [111, 63, 9, 0, 8, 13, 110, 126])
        #expect(audio.connection == SDP.Connection(networkType: "IN", addressType: "IP4", address: "192.0.2.2"))
        #expect(audio.mid == "0")
        #expect(audio.direction == .sendrecv)
        #expect(audio.iceUfrag == "L4Nx")
        #expect(audio.icePwd == "SZxI4ezEz9yG4QLxLkTcTw06")
        #expect(audio.iceOptions == ["trickle"])
        #expect(audio.fingerprints.count == 1)
        #expect(audio.fingerprints[0].algorithm == .sha256)
        #expect(audio.fingerprints[0].digest.first == 0x3F)
        #expect(audio.setup == .actpass)
        #expect(audio.rtcpMux && audio.rtcpReducedSize)
        #expect(audio.msids == [SDP.MSID(streamID: "80f6b053-9d60-49ec-ace2-7b95ffc1757a", trackID: "0f2baca8-9ca8-4dd8-98d6-955d44b741ee")])
        #expect(audio.rtpMap(for: 111) == SDP.RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(audio.rtpMap(for: 9) == SDP.RTPMap(payloadType: 9, encodingName: "G722", clockRate: 8000))
        let opus = try #require(audio.formatParameters(for: 111))
        #expect(opus.raw == "minptime=10;useinbandfec=1")
        #expect(opus["useinbandfec"] == "1")
        #expect(opus["MINPTIME"] == "10")
        #expect(audio.formatParameters(for: 63)?.raw == "111/111")
        #expect(audio.formatParameters(for: 63)?.parameters.isEmpty == true)
        #expect(audio.feedback(for: 111) == [SDP.RTCPFeedback(payloadType: 111, type: "transport-cc")])
        #expect(audio.extensionMaps.first == SDP.ExtensionMap(id: 1, uri: SDP.HeaderExtensionURI.audioLevel))
        #expect(audio.ssrcs.map(\.attribute) == ["cname", "msid"])
        #expect(audio.ssrcs[0] == SDP.SSRCAttribute(ssrc: 64315537, attribute: "cname", value: "oVw8eJuOiHHufGf/"))
        #expect(audio.candidates.count == 4)
        #expect(audio.otherAttributes.contains(SDP.Attribute(name: "rtcp", value: "9 IN IP4 0.0.0.0")))
        #expect(audio.otherAttributes.contains(SDP.Attribute(name: "rtcp-xr", value: "rcvr-rtt=all")))
    }

    @Test func chromiumOfferVideoSection() throws {
        let video = try SDPFixture.parsed("chromium-offer-av").media[1]
        #expect(video.payloadTypes.count == 23)
        #expect(video.feedback(for: 96).map(\.type) == ["goog-remb", "transport-cc", "ccm", "nack", "nack"])
        #expect(video.feedback(for: 96).map(\.parameter) == [nil, nil, "fir", nil, "pli"])
        #expect(video.formatParameters(for: 102)?["packetization-mode"] == "1")
        #expect(video.formatParameters(for: 104)?["packetization-mode"] == "0")
        #expect(video.retransmissionPayloadTypes == [
            97: 96, 103: 102, 107: 104, 109: 108, 115: 114, 117: 116, 40: 39, 46: 45, 99: 98, 101: 100, 119: 118,
        ])
        #expect(video.ssrcGroups == [SDP.SSRCGroup(semantics: "FID", ssrcs: [1544068017, 3048468516])])
        #expect(video.declaredSSRCs == [1544068017, 3048468516])
        #expect(video.extensionMaps.count == 11)
        #expect(video.extensionMaps.first { $0.uri == SDP.HeaderExtensionURI.mid }?.id == 4)
    }

    @Test func dataChannelSection() throws {
        let offer = try SDPFixture.parsed("chromium-offer-av-datachannel")
        let data = try #require(offer.media(mid: "2"))
        #expect(data.kind == .application)
        #expect(data.proto == "UDP/DTLS/SCTP")
        #expect(data.formats == ["webrtc-datachannel"])
        #expect(data.payloadTypes.isEmpty)
        #expect(!data.carriesRTP)
        #expect(data.sctpPort == 5000)
        #expect(data.maxMessageSize == 262144)
    }

    @Test func aiortcOfferHasCandidatesAndSeveralFingerprints() throws {
        let offer = try SDPFixture.parsed("aiortc-offer-av")
        #expect(offer.msidSemantic == SDP.MSIDSemantic(semantic: "WMS", identifiers: ["*"]))
        let audio = offer.media[0]
        #expect(audio.candidates.count == 2)
        #expect(audio.endOfCandidates)
        #expect(audio.fingerprints.map(\.algorithm) == [.sha256, .sha384, .sha512])
        #expect(audio.fingerprints[1].digest.count == 48)
        #expect(audio.rtpMap(for: 96)?.encodingName == "opus")
        #expect(!audio.rtcpReducedSize)
        #expect(offer.media[1].retransmissionPayloadTypes == [98: 97, 100: 99, 102: 101])
    }

    @Test func firefoxSessionLevelAttributesApplyToSections() throws {
        let offer = try SDPFixture.parsed("firefox-offer-av")
        #expect(offer.origin.username == "mozilla...THIS_IS_SDPARTA-128.0")
        #expect(offer.direction == .sendrecv)
        #expect(offer.fingerprints.count == 1)
        #expect(offer.iceOptions == ["trickle"])
        let video = offer.media[1]
        #expect(video.fingerprints.isEmpty)
        #expect(offer.fingerprints(for: video) == offer.fingerprints)
        #expect(video.extensionMaps.first { $0.id == 6 }?.direction == .recvonly)
        // Firefox lists every fmtp before every rtpmap; lookups do not care.
        #expect(video.formatParameters(for: 120)?.raw == "max-fs=12288;max-fr=60")
        #expect(video.retransmissionPayloadTypes == [124: 120, 125: 121, 127: 126, 98: 97, 119: 122])
        #expect(offer.media[0].candidates.map(\.isTCP) == [false, false, true, false])
        #expect(offer.media[0].rtpMap(for: 9)?.channels == 1)
    }

    @Test func legacyFirefoxSessionLevelICE() throws {
        let offer = try SDPFixture.parsed("firefox-legacy-offer-session-ice")
        let audio = offer.media[0]
        #expect(audio.iceUfrag == nil)
        #expect(offer.iceUfrag != nil)
        #expect(offer.iceUfrag(for: audio) == offer.iceUfrag)
        #expect(offer.icePwd(for: audio) == offer.icePwd)
        #expect(offer.media.map(\.mid) == ["sdparta_0", "sdparta_1"])
        #expect(offer.direction(for: offer.media[1]) == .sendonly)
    }

    @Test func lineEndingsDoNotMatter() throws {
        let crlf = try SDPFixture.text("chromium-offer-av")
        let lf = crlf.replacingOccurrences(of: "\r\n", with: "\n")
        let mixed = crlf.split(separator: "\r\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset % 2 == 0 ? $0.element + "\r\n" : $0.element + "\n" }.joined()
        let expected = try SDP.SessionDescription(parsing: crlf)
        #expect(try SDP.SessionDescription(parsing: lf) == expected)
        #expect(try SDP.SessionDescription(parsing: mixed) == expected)
        #expect(try SDP.SessionDescription(parsing: crlf + "\r\n\r\n") == expected)
    }

    @Test func unknownLinesAreIgnoredAndUnknownAttributesKept() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nx=unknown type\r\nt=0 0\r\na=x-session-thing:1\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nb=AS:64\r\ny=also unknown\r\na=x-custom\r\na=x-valued:a b c\r\na=mid:0\r\na=mid:1\r\n"
        let description = try SDP.SessionDescription(parsing: text)
        #expect(description.otherAttributes == [SDP.Attribute(name: "x-session-thing", value: "1")])
        let audio = description.media[0]
        #expect(audio.otherLines == [SDP.Line(type: "b", value: "AS:64")])
        #expect(audio.mid == "0")
        #expect(audio.otherAttributes == [
            SDP.Attribute(name: "x-custom"), SDP.Attribute(name: "x-valued", value: "a b c"), SDP.Attribute(name: "mid", value: "1"),
        ])
        let written = description.serialized()
        #expect(written.contains("a=x-custom\r\n"))
        #expect(written.contains("a=x-valued:a b c\r\n"))
        #expect(written.contains("b=AS:64\r\n"))
        #expect(!written.contains("x=unknown"))
    }

    @Test func unreadableCandidateIsKeptVerbatim() throws {
        let text = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 UDP/TLS/RTP/SAVPF 111\na=candidate:1 1 udp notanumber 10.0.0.1 5000 typ host\n"
        let audio = try SDP.SessionDescription(parsing: text).media[0]
        #expect(audio.candidates.isEmpty)
        #expect(audio.otherAttributes == [SDP.Attribute(name: "candidate", value: "1 1 udp notanumber 10.0.0.1 5000 typ host")])
    }

    @Test func candidatesOnTransportsWeDoNotSpeakAreSkipped() throws {
        let text = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 UDP/TLS/RTP/SAVPF 111\n"
            + "a=candidate:1 1 tcp 1518280447 10.0.0.1 9 typ host\n"
            + "a=candidate:2 1 ssltcp 1518280447 10.0.0.1 443 typ relay\n"
            + "a=candidate:3 1 udp 2122194687 10.0.0.1 5000 typ host generation 0\n"
        let description = try SDP.SessionDescription(parsing: text)
        let audio = description.media[0]
        #expect(audio.candidates.map(\.foundation) == ["3"])
        #expect(audio.otherAttributes.map(\.name) == ["candidate", "candidate"])
        #expect(try SDP.SessionDescription(parsing: description.serialized()) == description)
    }
}
