/// The RTCP a receiving peer connection sends, and when: receiver reports on a randomized
/// 0.5–1.5 s timer (RFC 3550 §6.2, not only when an SR arrives), NACKs and keyframe requests as
/// the streams ask, transport-wide feedback every 100 ms when transport-cc was negotiated, and
/// otherwise REMB when the sender takes it — the feedback senders need to ramp up.
final class ReceiverFeedback {
    static let transportFeedbackInterval: Duration = .milliseconds(100)
    static let bitrateEstimateInterval: Duration = .milliseconds(500)

    let senderSSRC: UInt32
    let cname: String
    let transportWideExtensionID: UInt16?
    let arrivals: TransportWideArrivalLog?
    private var bitrateEstimate: ReceiveBitrateEstimate?
    private var random: SeededRandom
    private var nextReport: ContinuousClock.Instant
    private var nextTransportFeedback: ContinuousClock.Instant
    private var nextBitrateEstimate: ContinuousClock.Instant
    /// Reused for NACK lists.
    private var nackScratch: [UInt16] = []

    init(negotiation: SDP.NegotiatedSession, senderSSRC: UInt32, cname: String, seed: UInt64, now: ContinuousClock.Instant) {
        self.senderSSRC = senderSSRC
        self.cname = cname
        random = SeededRandom(seed: seed)
        let receiving = negotiation.media.filter(\.receives)
        transportWideExtensionID = receiving.lazy.compactMap { $0.headerExtensionID(SDP.HeaderExtensionURI.transportWideCC) }.first
        let transportCC = transportWideExtensionID != nil
            && receiving.contains { $0.codecs.contains { $0.accepts(type: "transport-cc") } }
        arrivals = transportCC ? TransportWideArrivalLog(epoch: now) : nil
        let remb = receiving.contains { $0.codecs.contains { $0.accepts(type: "goog-remb") } }
        bitrateEstimate = !transportCC && remb ? ReceiveBitrateEstimate() : nil
        nextReport = now
        nextTransportFeedback = now + Self.transportFeedbackInterval
        nextBitrateEstimate = now + Self.bitrateEstimateInterval
        nackScratch.reserveCapacity(256)
        nextReport = now + reportInterval()
    }

    /// Notes one packet's transport-wide sequence number (per packet; no allocation).
    @inline(__always)
    func noteArrival(_ packet: RTPPacketView, now: ContinuousClock.Instant) {
        guard let arrivals, let id = transportWideExtensionID, let value = packet.headerExtension(id: id), value.count >= 2 else { return }
        arrivals.record(sequenceNumber: UInt16(value[0]) << 8 | UInt16(value[1]), now: now)
    }

    func nextTimeout(streams: [InboundStream]) -> ContinuousClock.Instant {
        var earliest = nextReport
        if arrivals?.hasUnreported ?? false { earliest = min(earliest, nextTransportFeedback) }
        if bitrateEstimate != nil { earliest = min(earliest, nextBitrateEstimate) }
        for stream in streams {
            if let due = stream.nextTimeout { earliest = min(earliest, due) }
        }
        return earliest
    }

    /// The RTCP compound packets due now.
    func collect(now: ContinuousClock.Instant, streams: [InboundStream]) -> [[RTCPPacket]] {
        var compounds: [[RTCPPacket]] = []
        var feedback: [RTCPPacket] = []
        for stream in streams {
            nackScratch.removeAll(keepingCapacity: true)
            stream.collectNacks(now: now, into: &nackScratch)
            if !nackScratch.isEmpty {
                feedback.append(.genericNACK(RTCPGenericNACK(senderSSRC: senderSSRC, mediaSSRC: stream.ssrc, lostSequenceNumbers: nackScratch)))
            }
            switch stream.takeKeyframeRequest(now: now) {
            case .pli:
                feedback.append(.pictureLossIndication(RTCPPictureLossIndication(senderSSRC: senderSSRC, mediaSSRC: stream.ssrc)))
            case .fir(let commandSequence):
                feedback.append(.fullIntraRequest(RTCPFullIntraRequest(
                    senderSSRC: senderSSRC, entries: [.init(ssrc: stream.ssrc, sequenceNumber: commandSequence)])))
            case nil:
                break
            }
        }
        if let arrivals, now >= nextTransportFeedback {
            nextTransportFeedback = now + Self.transportFeedbackInterval
            let mediaSSRC = streams.first?.ssrc ?? 0
            feedback += arrivals.makeFeedback(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC).map(RTCPPacket.transportFeedback)
        }
        if bitrateEstimate != nil, now >= nextBitrateEstimate, !streams.isEmpty {
            nextBitrateEstimate = now + Self.bitrateEstimateInterval
            let bitrate = bitrateEstimate!.update(streams: streams, now: now)
            feedback.append(.receiverEstimatedMaximumBitrate(RTCPReceiverEstimatedMaximumBitrate(
                senderSSRC: senderSSRC, bitrate: bitrate, ssrcs: streams.map(\.ssrc))))
        }
        if now >= nextReport {
            nextReport = now + reportInterval()
            // RFC 3550 §6.1: a compound starts with a report and carries our CNAME.
            let report = RTCPPacket.receiverReport(RTCPReceiverReport(
                senderSSRC: senderSSRC, reportBlocks: streams.prefix(31).map { $0.reportBlock(now: now) }))
            let description = RTCPPacket.sourceDescription(RTCPSourceDescription(
                chunks: [.init(ssrc: senderSSRC, items: [.cname(cname)])]))
            compounds.append([report, description] + feedback)
        } else if !feedback.isEmpty {
            // Feedback on its own (reduced-size RTCP, RFC 5506), as browsers send it.
            compounds.append(feedback)
        }
        return compounds
    }

    /// 0.5–1.5 × one second (RFC 3550 §6.3.1 randomization).
    private func reportInterval() -> Duration {
        .milliseconds(500 + Int(random.next() % 1_001))
    }
}
