import Foundation
@testable import Publisher
import RTC
import Testing

/// Whom a synthetic participant answers: anyone who wants to receive, never another sender.
@Suite("Synthetic participants answer receivers only")
struct PublisherNegotiationTests {
    private let transport = SDP.TransportParameters(
        iceUfrag: "abcd", icePwd: "passwordpasswordpassword", fingerprint: DTLSFingerprint(algorithm: .sha256, digest: Array(repeating: 7, count: 32)))

    @Test func recorderOfferIsAnswered() {
        let offer = SDP.ReceiveOnlyOfferBuilder().offer(transport: transport, sessionID: 1).serialized()
        #expect(SyntheticParticipant.wantsToReceive(offer))
    }

    @Test func browserOfferIsAnswered() throws {
        let chromium = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../RTCTests/Fixtures/sdp/chromium-offer-av.sdp"), encoding: .utf8)
        #expect(SyntheticParticipant.wantsToReceive(chromium), "sendrecv sections receive")
    }

    @Test func anotherPublishersOfferIsNot() {
        let track = SDP.OutboundTrack(kind: .audio, ssrc: 1, cname: "other", msid: SDP.MSID(streamID: "other"))
        let offer = SDP.SendOnlyOfferBuilder(tracks: [track]).offer(transport: transport, sessionID: 1).serialized()
        #expect(!SyntheticParticipant.wantsToReceive(offer))
    }

    @Test("the media clock stays exact over days of 48 kHz ticks")
    func mediaEpochLongRuns() {
        let epoch = MediaEpoch(start: .now, unixSeconds: 1_800_000_000)
        let threeDays: Int64 = 3 * 86_400 * 48_000 + 24_000
        #expect(epoch.instant(ticks: threeDays, rate: 48_000) - epoch.start == .seconds(3 * 86_400) + .milliseconds(500))
        #expect(epoch.instant(ticks: -312, rate: 48_000) - epoch.start == .microseconds(-6_500))
        #expect(epoch.instant(ticks: 3_000, rate: 90_000) - epoch.start == .nanoseconds(33_333_333))
    }
}
