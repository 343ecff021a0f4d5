@testable import RTC
import Testing

/// The whole receive pipeline — SRTP, routing, RTX, reorder, NACK, PLI, frame assembly,
/// timeline — against our own sender over a seeded impaired network, in simulated time.
@Suite("Receive pipeline over an impaired simulated network")
struct ReceivePipelineSimulationTests {
    /// 5% loss, 1% reordering, 1% duplication, 30 ms of jitter, both directions.
    static let impaired = SimulatedNetwork.Conditions(delay: .milliseconds(25), jitter: .milliseconds(30), loss: 0.05,
                                                      duplication: 0.01, reordering: 0.01)

    @Test("with retransmission, every video frame arrives complete, in order and intact (60 s)")
    func withRetransmission() throws {
        var simulation = try MediaSimulation(conditions: Self.impaired, seed: 42)
        try simulation.run(for: .seconds(60))
        try simulation.run(for: .seconds(2))  // let the last repairs land

        let received = simulation.videoFrames
        let sent = simulation.sentVideo
        // Everything from the first keyframe on, except what is still in flight at the end.
        let firstKeyframe = try #require(sent.firstIndex { $0.isKeyframe })
        let expected = sent[firstKeyframe...].filter { $0.sentAt <= simulation.peers.now - .seconds(2) }
        #expect(expected.count > 1_700)
        let receivedTimestamps = received.map { UInt32(truncatingIfNeeded: $0.frame.rtpTimestamp) }
        #expect(Array(receivedTimestamps.prefix(expected.count)) == expected.map(\.rtpTimestamp), "every frame, in order")
        for (frame, original) in zip(received, expected) where frame.bytes != original.bytes {
            Issue.record("frame \(original.rtpTimestamp) differs from what was sent")
            break
        }
        let stats = try #require(simulation.peers.a.stats.streams.first { $0.kind == "video" })
        #expect(stats.incompleteFrames == 0)
        #expect(stats.packetsLost == 0)
        #expect(stats.packetsRecovered > 100, "5% of about 7 000 packets were repaired: \(stats)")
        #expect(stats.nacksSent > 50)
        // The network's duplicates: dropped before decryption, or as RTP duplicates after it.
        #expect(stats.duplicates + simulation.peers.a.stats.duplicates > 0)
        #expect(stats.keyframes >= 1)
        #expect(stats.plisSent >= 1, "a PLI at the start of the stream")
        #expect(stats.freezes == 0)
        #expect(stats.width == 640 && stats.height == 480)
        #expect(simulation.peers.network.reordered > 0)

        // Feedback as the sender sees it: RRs on a randomized 0.5–1.5 s timer (5% of them lost on
        // the way) with the jitter measured; no REMB, since transport-cc was negotiated.
        let reports = simulation.receiverReportTimes
        #expect((40 ... 120).contains(reports.count), "\(reports.count) receiver reports in 62 s")
        let intervals = zip(reports, reports.dropFirst()).map { ($1 - $0).seconds }
        let onTimer = intervals.filter { (0.45 ... 1.6).contains($0) }
        #expect(Double(onTimer.count) >= Double(intervals.count) * 0.85, "\(intervals)")
        #expect(intervals.allSatisfy { $0 >= 0.45 && $0 <= 3.2 }, "\(intervals)")
        #expect(Set(intervals.map { Int($0 * 10) }).count > 3, "randomized, not fixed")
        let block = try #require(simulation.video.statistics.lastReportBlock)
        #expect(block.jitter > 0)
        #expect(block.extendedHighestSequenceNumber > 1_000 + 6_000)
        #expect(simulation.video.statistics.receiverEstimatedBitrate == nil)
        #expect(simulation.video.statistics.nacksReceived > 50)

        // Audio takes no NACK (Chromium offers none for Opus): losses stay gaps, order is kept.
        let audio = simulation.audioFrames.map(\.frame.timestamp)
        #expect(audio == audio.sorted())
        #expect(Double(audio.count) > Double(simulation.sentAudio) * 0.9)
        #expect(Set(audio).count == audio.count, "no duplicates")
    }

    @Test("without retransmission, incomplete frames are reported and PLIs sent, about once a second at most")
    func withoutRetransmission() throws {
        var simulation = try MediaSimulation(conditions: Self.impaired, seed: 7, retransmits: false)
        try simulation.run(for: .seconds(60))
        let stats = try #require(simulation.peers.a.stats.streams.first { $0.kind == "video" })
        #expect(stats.incompleteFrames > 10, "\(stats)")
        #expect(stats.packetsLost > 100)
        #expect(stats.packetsRecovered == 0)
        #expect(stats.plisSent > 10)
        #expect(stats.plisSent <= 62, "throttled to about one a second: \(stats.plisSent) in 60 s")
        #expect(stats.keyframes > 10, "the sender answered the PLIs")
        #expect(stats.framesDiscarded > 0, "frames after a loss wait for the keyframe")

        // What is handed on is complete, decodable (from a keyframe on after each loss), in order.
        let received = simulation.videoFrames
        let sentByTimestamp = Dictionary(simulation.sentVideo.map { ($0.rtpTimestamp, $0) }, uniquingKeysWith: { first, _ in first })
        for frame in received {
            let original = try #require(sentByTimestamp[UInt32(truncatingIfNeeded: frame.frame.rtpTimestamp)])
            #expect(frame.bytes == original.bytes)
        }
        let timestamps = received.map(\.frame.timestamp)
        #expect(timestamps == timestamps.sorted())
        #expect(received.first?.frame.isKeyframe == true)
    }

    @Test("sequence numbers and timestamps wrap, then the publisher restarts: one continuous timeline")
    func wrapAndRestart() throws {
        var simulation = try MediaSimulation(conditions: SimulatedNetwork.Conditions(delay: .milliseconds(20)), seed: 3,
                                             firstSequenceNumber: 65_000, firstVideoTimestamp: UInt32.max - 200_000)
        try simulation.run(for: .seconds(10))
        let beforeRestart = simulation.videoFrames.count
        // The publisher drops out for 2 s and comes back with a new SSRC and timestamp base.
        simulation.peers.network.unreachable = [simulation.peers.bases[1]]
        try simulation.run(for: .seconds(2))
        simulation.peers.network.unreachable = []
        simulation.restartVideo(ssrc: 0x3333_0001, firstSequenceNumber: 12, firstTimestamp: 1_234_567)
        try simulation.run(for: .seconds(10))

        let frames = simulation.videoFrames.map(\.frame)
        #expect(frames.count > beforeRestart + 250)
        #expect(Set(frames.map(\.ssrc)).count == 2)
        let steps = zip(frames, frames.dropFirst()).map { $1.timestamp - $0.timestamp }
        #expect(steps.allSatisfy { $0 > 0 }, "the timeline only moves forward")
        // Within a stream frames are 3000 ticks apart (across the sequence and timestamp wraps);
        // across the restart the step is the ~2 s of wall time that passed, not the timestamp jump.
        let largeSteps = steps.filter { $0 != 3_000 }
        #expect(largeSteps.count == 1, "\(largeSteps)")
        if let gap = largeSteps.first { #expect((150_000 ... 250_000).contains(gap), "gap \(gap)") }
        let total = Double(frames.last!.timestamp - frames.first!.timestamp) / 90_000
        #expect(abs(total - 22) < 1, "the timeline spans the 22 s that passed, not hours: \(total)")
        let stats = simulation.peers.a.stats.streams.filter { $0.kind == "video" }
        #expect(stats.count == 2)
        #expect(stats.allSatisfy { $0.plisSent >= 1 }, "a keyframe asked for at the start of each stream")
    }

    @Test("the writer can ask for a keyframe: one PLI goes out and the sender's next frame is a keyframe")
    func keyframeOnRequest() throws {
        var simulation = try MediaSimulation(conditions: SimulatedNetwork.Conditions(delay: .milliseconds(20)), seed: 12)
        try simulation.run(for: .seconds(3))
        let before = try #require(simulation.peers.a.stats.streams.first { $0.kind == "video" })
        let keyframesSent = simulation.sentVideo.filter(\.isKeyframe).count
        simulation.peers.a.requestKeyframe(mid: before.mid, now: simulation.peers.now)
        simulation.peers.a.requestKeyframe(mid: before.mid, now: simulation.peers.now)  // throttled: still one
        try simulation.run(for: .milliseconds(500))
        let after = try #require(simulation.peers.a.stats.streams.first { $0.kind == "video" })
        #expect(after.plisSent == before.plisSent + 1)
        #expect(simulation.sentVideo.filter(\.isKeyframe).count == keyframesSent + 1)
        #expect(after.keyframes == before.keyframes + 1)
        #expect(simulation.video.statistics.keyframeRequestsReceived == after.plisSent)
    }

    @Test("a frame the owner dropped, answering that it needs a keyframe: one PLI goes out and the sender's next frame is a keyframe")
    func keyframeOnDroppedFrame() throws {
        var simulation = try MediaSimulation(conditions: SimulatedNetwork.Conditions(delay: .milliseconds(20)), seed: 14)
        try simulation.run(for: .seconds(3))
        let before = try #require(simulation.peers.a.stats.streams.first { $0.kind == "video" })
        let keyframesSent = simulation.sentVideo.filter(\.isKeyframe).count
        try simulation.run(for: .seconds(2))
        #expect(simulation.sentVideo.filter(\.isKeyframe).count == keyframesSent, "no keyframe unless asked")
        simulation.inbox.dropNextVideoFrame = true
        try simulation.run(for: .milliseconds(500))
        #expect(!simulation.inbox.dropNextVideoFrame, "a video frame was offered")
        let after = try #require(simulation.peers.a.stats.streams.first { $0.kind == "video" })
        #expect(after.plisSent == before.plisSent + 1)
        #expect(simulation.sentVideo.filter(\.isKeyframe).count == keyframesSent + 1)
        #expect(simulation.video.statistics.keyframeRequestsReceived == after.plisSent)
    }

    @Test("a sender without transport-cc gets REMB, which grows while nothing is lost")
    func rembWithoutTransportCC() throws {
        // The answer drops transport-cc (as aiortc's does), keeping goog-remb.
        var simulation = try MediaSimulation(conditions: SimulatedNetwork.Conditions(delay: .milliseconds(20)), seed: 13) { answer in
            answer.split(separator: "\r\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("transport-cc") && !$0.contains("transport-wide-cc") }
                .joined(separator: "\r\n")
        }
        try simulation.run(for: .seconds(2))
        let early = try #require(simulation.video.statistics.receiverEstimatedBitrate)
        try simulation.run(for: .seconds(10))
        let later = try #require(simulation.video.statistics.receiverEstimatedBitrate)
        #expect(later > early, "\(early) -> \(later)")
        #expect(later > 1_000_000, "above the ~1 Mbit/s that arrives: room to ramp up")
        #expect(later <= ReceiveBitrateEstimate.maximum)
    }

    @Test("RTCP BYE ends the stream and hands on what it held")
    func goodbye() throws {
        var simulation = try MediaSimulation(conditions: SimulatedNetwork.Conditions(delay: .milliseconds(20)), seed: 11)
        try simulation.run(for: .seconds(2))
        var bye: [UInt8] = []
        RTCPPacket.goodbye(RTCPGoodbye(ssrcs: [simulation.video.configuration.ssrc], reasonText: "leaving")).serialize(into: &bye)
        try simulation.peers.b.sendRTCP(bye)
        try simulation.run(for: .milliseconds(200))
        let video = try #require(simulation.peers.a.stats.streams.first { $0.kind == "video" })
        #expect(video.ended)
        #expect(simulation.peers.a.stats.streams.first { $0.kind == "audio" }?.ended == false)
    }

    @Test("sender reports place frames on the sender's wall clock")
    func senderClock() throws {
        var simulation = try MediaSimulation(conditions: SimulatedNetwork.Conditions(delay: .milliseconds(20)), seed: 9)
        let start = simulation.peers.start
        try simulation.run(for: .seconds(6))
        let mapped = simulation.videoFrames.filter { $0.frame.senderTime != nil }
        #expect(mapped.count > 100, "SRs arrived and mapped frames")
        // Each frame's sender time is when it was sent on the sender's clock (within a frame).
        let sentAt = Dictionary(simulation.sentVideo.map { ($0.rtpTimestamp, $0.sentAt) }, uniquingKeysWith: { first, _ in first })
        for received in mapped {
            let sent = try #require(sentAt[UInt32(truncatingIfNeeded: received.frame.rtpTimestamp)])
            let expected = MediaSimulation.wallClockAtStart + (sent - start).seconds
            #expect(abs(received.frame.senderTime! - expected) < 0.04, "\(received.frame.senderTime!) vs \(expected)")
        }
    }
}
