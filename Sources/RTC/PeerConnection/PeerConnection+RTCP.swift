extension PeerConnection {
    /// Sets up the receive pipeline once SRTP keys are in place.
    func startReceiving(_ negotiation: SDP.NegotiatedSession, now: ContinuousClock.Instant) {
        router = RTPRouter(negotiation: negotiation, tuning: configuration.receiver)
        feedback = ReceiverFeedback(negotiation: negotiation, senderSSRC: UInt32(truncatingIfNeeded: random.next()) | 1,
                                    cname: String(localCredentials.ufrag.prefix(16)), seed: random.next(), now: now)
        feedbackDue = now
    }

    /// Handles one decrypted RTCP compound packet: sender reports map RTP time to the sender's
    /// clock, BYE ends a stream, feedback for what we send is answered.
    func handleRTCP(_ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
        let packets: [RTCPPacket]
        do {
            packets = try RTCPCompound.parse(bytes)
        } catch {
            malformedRTCPPackets += 1
            return
        }
        for packet in packets {
            switch packet {
            case .senderReport(let report):
                router?.stream(ssrc: report.senderSSRC)?.senderReport(ntp: report.ntpTimestamp.rawValue, rtpTimestamp: report.rtpTimestamp, now: now)
                for block in report.reportBlocks { outboundStreams[block.ssrc]?.noteReportBlock(block, now: now) }
            case .receiverReport(let report):
                for block in report.reportBlocks { outboundStreams[block.ssrc]?.noteReportBlock(block, now: now) }
            case .receiverEstimatedMaximumBitrate(let estimate):
                for ssrc in estimate.ssrcs { outboundStreams[ssrc]?.noteEstimatedBitrate(estimate.bitrate) }
            case .transportFeedback:
                for stream in outboundStreams.values { stream.noteTransportFeedback() }
            case .goodbye(let goodbye):
                for ssrc in goodbye.ssrcs { router?.stream(ssrc: ssrc)?.ended(now: now, emit: frameHandler) }
            case .genericNACK(let nack):
                outboundStreams[nack.mediaSSRC]?.retransmit(sequenceNumbers: nack.lostSequenceNumbers, now: now) { packet in
                    try? protectAndSend(packet, isRTCP: false)
                }
            case .pictureLossIndication(let indication):
                if let stream = outboundStreams[indication.mediaSSRC] {
                    stream.noteKeyframeRequest()
                    events.append(.keyframeRequested(ssrc: indication.mediaSSRC))
                }
            case .fullIntraRequest(let request):
                for entry in request.entries {
                    guard let stream = outboundStreams[entry.ssrc] else { continue }
                    stream.noteKeyframeRequest()
                    events.append(.keyframeRequested(ssrc: entry.ssrc))
                }
            default:
                break
            }
        }
    }

    /// Runs the streams' timers (holes given up, frames handed on) and sends the RTCP that is due.
    /// No feedback goes out before ICE has selected (nominated) a pair.
    func serviceFeedback(now: ContinuousClock.Instant) {
        guard let router, let feedback else { return }
        for stream in router.streams { stream.handleTimeout(now: now, emit: frameHandler) }
        if ice?.selectedPair != nil || replaying {
            for compound in feedback.collect(now: now, streams: router.streams) where !replaying {
                var packets = compound
                if case .receiverReport = compound.first { packets = senderReports(now: now) + compound }
                try? protectAndSend(RTCPCompound.serialize(packets), isRTCP: true)
            }
        }
        feedbackDue = feedback.nextTimeout(streams: router.streams)
    }

    private func senderReports(now: ContinuousClock.Instant) -> [RTCPPacket] {
        guard let wallClock = configuration.wallClock else { return [] }
        let ntp = NTPTimestamp(secondsSince1900: wallClock.unixSeconds(at: now) + SenderClock.ntpToUnixSeconds)
        // RFC 3550 §6.4: only a stream that has sent has an RTP time to tie to the clock.
        return outboundStreams.values.filter { $0.statistics.packetsSent > 0 }
            .sorted { $0.configuration.ssrc < $1.configuration.ssrc }
            .map { .senderReport($0.senderReport(ntp: ntp, now: now)) }
    }

    /// Asks the sender of every inbound video stream on `mid` (or all) for a keyframe.
    public func requestKeyframe(mid: String? = nil, now: ContinuousClock.Instant) {
        for stream in router?.streams ?? [] where mid == nil || stream.description.mid == mid {
            stream.requestKeyframe(now: now)
            if let due = stream.nextTimeout { feedbackDue = feedbackDue.map { min($0, due) } ?? due }
        }
    }
}
