extension PeerConnection {
    // MARK: Replaying a raw capture (`tapedeck render`)
    //
    // A capture holds what the live connection's tap saw (`DecryptedPacketTap`): its settled
    // negotiations and its decrypted packets, with their arrival times. Replayed here, they run
    // through the same receive pipeline — router, reorder buffers, depacketizers, sender reports —
    // with the captured times as the clock, so the frames come out as they did live. There is no
    // ICE, DTLS or SRTP, and nothing is sent.

    /// A negotiation the capture recorded: `offer` from the peer when `remoteOffered`, else ours.
    public func replayNegotiation(offer: String, answer: String, remoteOffered: Bool) throws(PeerConnectionError) {
        let offerDescription = try parse(offer)
        let answerDescription = try parse(answer)
        do {
            if remoteOffered {
                // Answered again with the same rules: it keeps every codec we can receive, so the
                // payload types the peer sent are routed whatever our preference was.
                negotiation = try SDP.AnswerBuilder(codecs: configuration.codecs, sends: false, tracks: [])
                    .answer(to: offerDescription, transport: transportParameters, sessionID: sessionID, sessionVersion: 1)
                    .negotiation
            } else {
                negotiation = try SDP.ReceiveOnlyOfferBuilder(codecs: configuration.codecs)
                    .negotiate(answer: answerDescription, to: offerDescription)
            }
        } catch {
            throw PeerConnectionError("cannot replay the negotiation: \(error)")
        }
    }

    /// One captured RTP packet, decrypted, at its arrival. The first starts the streams with the
    /// negotiation in force, as the end of the DTLS handshake did live.
    public func replayRTP(_ packet: UnsafeMutableRawBufferPointer, now: ContinuousClock.Instant) {
        guard beginReplay(now: now) else { return }
        route(packet, length: packet.count, now: now)
    }

    /// One captured RTCP compound packet, decrypted, at its arrival.
    public func replayRTCP(_ packet: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
        guard beginReplay(now: now) else { return }
        rtcpPackets += 1
        handleRTCP(packet, now: now)
    }

    /// Runs what was due by `now` (holes given up, frames handed on), in order, as the live
    /// connection's timers did between packets.
    public func replayTime(until now: ContinuousClock.Instant) {
        replaying = true
        var previous: ContinuousClock.Instant?
        while let due = nextTimeout, due <= now {
            // A timer that does not move on would spin: it runs at `now` below instead.
            if let previous, due <= previous { break }
            handleTimeout(now: due)
            previous = due
        }
        if let due = nextTimeout, due <= now { handleTimeout(now: now) }
        self.now = now
    }

    private func beginReplay(now: ContinuousClock.Instant) -> Bool {
        replayTime(until: now)
        if router == nil {
            guard let negotiation else { return false }
            startReceiving(negotiation, now: now)
        }
        return true
    }
}
