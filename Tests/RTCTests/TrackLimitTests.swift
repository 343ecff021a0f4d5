import RTC
import Testing

/// `count` tracks a sender offers, audio and video in turn, each with SSRCs of its own.
private func tracks(_ count: Int) -> [SDP.OutboundTrack] {
    (0..<count).map { index in
        let kind: SDP.MediaKind = index.isMultiple(of: 2) ? .audio : .video
        return SDP.OutboundTrack(kind: kind, ssrc: 0x1000_0000 + UInt32(index), cname: "flood",
                                 msid: SDP.MSID(streamID: "flood", trackID: "t\(index)"))
    }
}

/// A remote description with more media sections than a participant needs: the first
/// `SDP.AnswerBuilder.defaultMaxAcceptedSections` are taken, the rest answered as rejected and
/// counted, and nothing else changes.
@Suite("Track limit: offers with a huge number of media sections")
struct TrackLimitTests {
    @Test("an offer of 1,000 sections is answered with all 1,000, the first 16 accepted and bundled, 984 rejected and counted")
    func thousandSections() throws {
        let certificate = try DTLSCertificate(issuedAt: 1_800_000_000)
        let now = ContinuousClock.now
        let sender = PeerConnection(configuration: PeerConnectionConfiguration(certificate: certificate), seed: 1)
        let offer = sender.createSendOffer(tracks: tracks(1_000), now: now)
        let recorder = PeerConnection(configuration: PeerConnectionConfiguration(certificate: certificate), seed: 2)
        let answer = try SDP.SessionDescription(parsing: recorder.answer(remoteOffer: offer, now: now))

        let limit = SDP.AnswerBuilder.defaultMaxAcceptedSections
        #expect(answer.media.count == 1_000)
        let accepted = answer.media.filter { $0.port != 0 }
        #expect(accepted.count == limit)
        #expect(accepted.compactMap(\.mid) == Array(try SDP.SessionDescription(parsing: offer).media.prefix(limit)).compactMap(\.mid))
        #expect(answer.bundleGroup?.mids == accepted.compactMap(\.mid))
        #expect(recorder.negotiatedSession?.media.count == limit)
        #expect(recorder.negotiatedSession?.sectionsOverLimit == 1_000 - limit)
        #expect(recorder.stats.limitsReached["tracks"] == 1_000 - limit)
    }

    @Test("within the limit nothing is counted; sections rejected for other reasons (a data channel) are not counted")
    func onlyAcceptableSectionsCount() throws {
        let offer = try SDPFixture.parsed("chromium-offer-av-datachannel")
        let all = try SDP.AnswerBuilder().answer(to: offer, transport: SDPFixture.localTransport, sessionID: 1)
        #expect(all.negotiation.sectionsOverLimit == 0)
        #expect(all.negotiation.media.count == 2)

        let one = try SDP.AnswerBuilder(maxAcceptedSections: 1).answer(to: offer, transport: SDPFixture.localTransport, sessionID: 1)
        #expect(one.negotiation.media.map(\.kind) == [.audio])
        #expect(one.negotiation.sectionsOverLimit == 1)  // the video; the data channel was never ours to take
        #expect(one.negotiation.rejectedMids.count == 2)
        #expect(one.sessionDescription.media.map(\.port) == [9, 0, 0])
    }

    @Test("a sender offering 40 tracks connects; its first 16 tracks are received, 24 counted")
    func connectsAndReceivesWithinTheLimit() throws {
        var simulation = try PeerSimulation(network: SimulatedNetwork(seed: 31), seed: 31, sendTracks: tracks(40), senderOffers: true)
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        let streams = simulation.b.makeOutboundStreams(now: simulation.now)
        #expect(streams.count == SDP.AnswerBuilder.defaultMaxAcceptedSections)
        let audio = try #require(streams.first)
        let payload: [UInt8] = [0x78] + [UInt8](repeating: 1, count: 60)
        for index in 0..<5 {
            try payload.withUnsafeBytes {
                try simulation.b.send(payload: $0, marker: false, rtpTimestamp: UInt32(960 * index), on: audio, now: simulation.now)
            }
        }
        #expect(simulation.run(for: .seconds(1)) { $0.a.stats.streams.first?.packetsReceived == 5 })
        #expect(simulation.a.stats.limitsReached["tracks"] == 40 - SDP.AnswerBuilder.defaultMaxAcceptedSections)
        #expect(simulation.failure(of: 0) == nil && simulation.failure(of: 1) == nil)
    }
}
