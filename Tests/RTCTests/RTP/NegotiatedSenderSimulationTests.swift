@testable import RTC
import Testing

/// A sender whose streams come from the negotiation — declared as tracks in its answer or in its
/// own offer, as `tapedeck publish` does — against the receive pipeline over a lossy network:
/// the receiver knows the SSRCs from the SDP, NACKs are answered with RTX on the negotiated
/// payload type, PLIs with keyframes, and sender reports map RTP time to the sender's clock.
@Suite("A sender set up from the negotiation")
struct NegotiatedSenderSimulationTests {
    @Test("media arrives whole and on the sender's clock", arguments: [
        MediaSimulation.SenderStreams.declaredInAnswer, .declaredInOffer,
    ])
    func negotiatedStreams(senderStreams: MediaSimulation.SenderStreams) throws {
        let conditions = SimulatedNetwork.Conditions(delay: .milliseconds(25), jitter: .milliseconds(10), loss: 0.03)
        var simulation = try MediaSimulation(conditions: conditions, seed: 11, senderStreams: senderStreams)
        #expect(simulation.video.configuration.rtxPayloadType == 97)
        #expect(simulation.video.configuration.midExtensionID == 4)
        #expect(simulation.audio.configuration.audioLevelExtensionID == 1 && simulation.video.configuration.audioLevelExtensionID == nil)
        try simulation.run(for: .seconds(15))
        try simulation.run(for: .seconds(2))

        let receiver = simulation.peers.a.stats
        let video = try #require(receiver.streams.first { $0.kind == "video" })
        let audio = try #require(receiver.streams.first { $0.kind == "audio" })
        #expect(video.ssrc == MediaSimulation.videoTrack.ssrc && video.rtxSSRC == MediaSimulation.videoTrack.retransmissionSSRC)
        #expect(audio.ssrc == MediaSimulation.audioTrack.ssrc)
        #expect(video.packetsRecovered > 20, "NACKs answered with RTX: \(video)")
        // Packets lost before the first one that arrives cannot be asked for (the receiver does
        // not know where the stream starts), so the very first frame may be incomplete; the PLI
        // at the start brings a keyframe, and from there every frame arrives.
        #expect(video.packetsLost == 0 && video.incompleteFrames <= 1, "\(video)")
        #expect(video.frames >= simulation.sentVideo.count - 6, "\(video.frames) of \(simulation.sentVideo.count) frames")
        #expect(video.keyframes >= 1 && video.plisSent >= 1)
        #expect(video.senderReports > 5 && audio.senderReports > 5)
        #expect(receiver.unroutableRTPPackets == 0)
        #expect(simulation.video.statistics.senderReportsSent >= video.senderReports)

        let sentAt = Dictionary(simulation.sentVideo.map { ($0.rtpTimestamp, $0.sentAt) }, uniquingKeysWith: { first, _ in first })
        let mapped = simulation.videoFrames.filter { $0.frame.senderTime != nil }
        #expect(mapped.count > 300)
        for received in mapped {
            let sent = try #require(sentAt[UInt32(truncatingIfNeeded: received.frame.rtpTimestamp)])
            let expected = MediaSimulation.wallClockAtStart + (sent - simulation.peers.start).seconds
            #expect(abs(received.frame.senderTime! - expected) < 0.04)
        }

        // Every audio frame that arrived (through SRTP, the reorder buffer and the assembler)
        // carries the level its packet was sent with; video none.
        let audioFrames = simulation.audioFrames
        #expect(audioFrames.count > 600)
        for received in audioFrames {
            #expect(received.frame.audioLevel == MediaSimulation.audioLevel(ofPacket: Int(received.bytes[1])))
        }
        #expect(simulation.videoFrames.allSatisfy { $0.frame.audioLevel == nil })
    }

    @Test("a sender that puts no level in its packets: audio frames carry none")
    func noLevelsWithoutNegotiation() throws {
        var simulation = try MediaSimulation(conditions: SimulatedNetwork.Conditions(delay: .milliseconds(10)), seed: 3)
        try simulation.run(for: .seconds(2))
        #expect(simulation.audioFrames.count > 50)
        #expect(simulation.audioFrames.allSatisfy { $0.frame.audioLevel == nil })
    }
}
