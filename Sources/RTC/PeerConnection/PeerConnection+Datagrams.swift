extension PeerConnection {
    /// Demultiplexes one datagram (RFC 7983). Media from a direct peer is decrypted where it
    /// lies, with no copy and no allocation; STUN and TURN-relayed traffic go through ICE.
    /// DTLS, SRTP and SRTCP are taken only from a path ICE checks validated (`CheckedPaths`):
    /// from anywhere else they are dropped and counted (`uncheckedSourceDrops`).
    public func receive(_ datagram: UnsafeMutableRawBufferPointer, from source: TransportAddress, on base: TransportAddress,
                        now: ContinuousClock.Instant) {
        self.now = now
        guard let first = datagram.first, let ice else { return }
        let feedbackDueBefore = feedbackDue
        var carriedMedia = false
        if DatagramKind(firstByte: first) == .stun || ice.isTurnServer(source, base: base) {
            if case .relayedApplication(var bytes, _) = ice.handle(datagram: Array(datagram), from: source, on: base, now: now) {
                bytes.withUnsafeMutableBytes { _ = deliverApplication($0, now: now) }
            }
            drainIce()
        } else if ice.admitsApplicationData(from: source, on: base, now: now) {
            carriedMedia = deliverApplication(datagram, now: now)
        }
        if !carriedMedia || !outbox.isEmpty || !events.isEmpty || ice.hasPendingOutput || feedbackDue != feedbackDueBefore {
            needsService = true
        }
    }

    public func serviced() {
        needsService = false
    }

    public func receive(turnMessage: UnsafeRawBufferPointer, from server: TransportAddress, over transport: TurnTransport,
                        on base: TransportAddress, now: ContinuousClock.Instant) {
        self.now = now
        guard let ice else { return }
        if case .relayedApplication(var bytes, _) = ice.handle(turnMessage: Array(turnMessage), from: server, over: transport,
                                                               on: base, now: now) {
            bytes.withUnsafeMutableBytes { _ = deliverApplication($0, now: now) }
        }
        drainIce()
    }

    public func turnConnectionClosed(to server: TransportAddress, over transport: TurnTransport, on base: TransportAddress,
                                     reason: String, now: ContinuousClock.Instant) {
        self.now = now
        ice?.turnConnectionClosed(to: server, over: transport, on: base, reason: reason, now: now)
        drainIce()
    }

    public func receiveMulticastDNS(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, now: ContinuousClock.Instant) {
        self.now = now
        guard let ice else { return }
        ice.handle(multicastDNS: Array(datagram), now: now)
        drainIce()
    }

    /// True when the datagram was SRTP media: all it did was go to its stream (see `needsService`).
    private func deliverApplication(_ datagram: UnsafeMutableRawBufferPointer, now: ContinuousClock.Instant) -> Bool {
        guard let first = datagram.first else { return false }
        switch DatagramKind(firstByte: first) {
        case .dtls:
            dtls?.handle(datagram: UnsafeRawBufferPointer(datagram), now: now)
            serviceDTLS(now: now)
        case .rtpOrRTCP:
            guard let srtp, datagram.count >= 12 else { return false }
            // RFC 5761 §4: RTCP packet types 192–223 sit where RTP's marker and payload type are.
            if (192...223).contains(datagram[1]) {
                if case .decrypted(let length) = srtp.unprotectRTCP(datagram) {
                    rtcpPackets += 1
                    let packet = UnsafeRawBufferPointer(rebasing: datagram[0 ..< length])
                    tap?.tapRTCP(packet, now: now)
                    handleRTCP(packet, now: now)
                }
            } else if case .decrypted(let length) = srtp.unprotectRTP(datagram) {
                tap?.tapRTP(UnsafeRawBufferPointer(rebasing: datagram[0 ..< length]), now: now)
                route(datagram, length: length, now: now)
                return true
            }
        default:
            break
        }
        return false
    }

    /// Routes one decrypted RTP packet to its stream's receiver; complete frames come out of
    /// `onFrame` before this returns.
    func route(_ packet: UnsafeMutableRawBufferPointer, length: Int, now: ContinuousClock.Instant) {
        guard let view = RTPPacketView(UnsafeRawBufferPointer(rebasing: packet[0 ..< length])) else {
            malformedRTPPackets += 1
            return
        }
        guard let router else { return }
        feedback?.noteArrival(view, now: now)
        if let stream = router.receive(view, now: now, emit: frameHandler), let due = stream.nextTimeout {
            feedbackDue = feedbackDue.map { min($0, due) } ?? due
        }
        if let feedbackDue, feedbackDue <= now { serviceFeedback(now: now) }
    }

    /// Moves DTLS output onto the selected ICE path and reacts to the handshake's outcome.
    func serviceDTLS(now: ContinuousClock.Instant) {
        guard let dtls, let ice else { return }
        while let record = dtls.pollTransmit() {
            if let transmit = ice.transmit(applicationData: record) { outbox.append(transmit) }
        }
        switch dtls.state {
        case .connected(let keys) where srtp == nil:
            do {
                srtp = try SRTPSession(keyingMaterial: keys)
                if let negotiation { startReceiving(negotiation, now: now) }
                events.append(.connected)
            } catch {
                fail("cannot set up SRTP: \(error)")
            }
        case .failed(let reason):
            fail("DTLS: \(reason)")
        case .closed where !closed:
            closed = true
            events.append(.closedByPeer)
        default:
            break
        }
    }

    /// Moves ICE output into ours; starts DTLS when ICE first has a pair to carry it.
    func drainIce() {
        guard let ice else { return }
        while let transmit = ice.pollTransmit() { outbox.append(transmit) }
        while let event = ice.pollEvent() {
            switch event {
            case .localCandidate(let candidate): events.append(.localCandidate(candidate))
            case .gatheringComplete: events.append(.endOfCandidates)
            case .relayUnavailable(let reason):
                events.append(.relayUnavailable(reason: reason))
            case .stateChanged(let state, let reason):
                events.append(.iceStateChanged(state, reason: reason))
                if state == .failed { fail("ICE: \(reason ?? "failed")") }
            case .selectedPair:
                if let dtls, dtls.state == .new, let now {
                    dtls.start(now: now)
                    serviceDTLS(now: now)
                }
            }
        }
    }

    public func handleTimeout(now: ContinuousClock.Instant) {
        self.now = now
        ice?.handleTimeout(now: now)
        drainIce()
        if let dtls, dtls.state != .new {
            dtls.handleTimeout(now: now)
            serviceDTLS(now: now)
        }
        if let feedbackDue, feedbackDue <= now { serviceFeedback(now: now) }
    }

    /// The connection's one output: datagrams to send, then events for the owner, then when to
    /// wake it (see `EndpointOutput`). Call until it returns `.wakeUp`.
    public func poll() -> EndpointOutput<PeerConnectionEvent> {
        if let transmit = pollTransmit() { return .transmit(transmit) }
        if let event = pollEvent() { return .event(event) }
        return .wakeUp(at: nextTimeout)
    }

    func pollTransmit() -> IceTransmit? {
        drainIce()
        return outbox.isEmpty ? nil : outbox.removeFirst()
    }

    func pollEvent() -> PeerConnectionEvent? {
        drainIce()
        return events.isEmpty ? nil : events.removeFirst()
    }

    /// Asked after every read batch: computed without building collections.
    var nextTimeout: ContinuousClock.Instant? {
        guard !failed else { return nil }
        var earliest = ice?.nextTimeout
        if let dtls, dtls.state != .new, let dtlsTimeout = dtls.nextTimeout { earliest = earliest.map { min($0, dtlsTimeout) } ?? dtlsTimeout }
        if let feedbackDue { earliest = earliest.map { min($0, feedbackDue) } ?? feedbackDue }
        return earliest
    }

    /// Protects and sends one RTCP compound packet on the selected path.
    public func sendRTCP(_ packet: [UInt8]) throws(PeerConnectionError) {
        try protectAndSend(packet, isRTCP: true)
    }

    /// Protects and sends one RTP packet on the selected path (the synthetic publisher sends media).
    public func sendRTP(_ packet: [UInt8]) throws(PeerConnectionError) {
        try protectAndSend(packet, isRTCP: false)
    }

    func protectAndSend(_ packet: [UInt8], isRTCP: Bool) throws(PeerConnectionError) {
        // withUnsafeBytes rethrows untyped: carry the typed error out by hand.
        let failure = packet.withUnsafeBytes { bytes -> PeerConnectionError? in
            do throws(PeerConnectionError) {
                try protectAndSend(bytes, isRTCP: isRTCP)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Copies `packet` into an array with room for the SRTP trailer, protects it there and queues
    /// it: one allocation per packet (the copy the transmit keeps), none to grow it.
    func protectAndSend(_ packet: UnsafeRawBufferPointer, isRTCP: Bool) throws(PeerConnectionError) {
        guard let srtp, let ice else { throw PeerConnectionError("not connected") }
        let trailer = isRTCP ? srtp.profile.rtcpTrailerLength : srtp.profile.rtpTrailerLength
        var bytes = [UInt8](unsafeUninitializedCapacity: packet.count + trailer) { buffer, count in
            if let source = packet.baseAddress, let destination = buffer.baseAddress {
                UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: packet.count)
            }
            count = packet.count
        }
        do {
            if isRTCP { try srtp.protectRTCP(&bytes) } else { try srtp.protectRTP(&bytes) }
        } catch {
            throw PeerConnectionError("cannot protect \(isRTCP ? "RTCP" : "RTP"): \(error)")
        }
        guard let transmit = ice.transmit(applicationData: bytes) else { throw PeerConnectionError("no ICE path") }
        outbox.append(transmit)
    }

    public func close(now: ContinuousClock.Instant) {
        closed = true
        for stream in router?.streams ?? [] { stream.flush(now: now, emit: frameHandler) }
        dtls?.close()
        serviceDTLS(now: now)
        ice?.close(now: now)
        drainIce()
    }

    public var isConnected: Bool { srtp != nil && !failed }

    public var stats: PeerConnectionStats {
        let counters = srtp?.counters ?? SRTPCounters()
        let iceSummary = ice?.summary ?? IceSummary()
        var stats = PeerConnectionStats(
            iceState: ice?.state ?? .new, dtlsConnected: srtp != nil, srtpProfile: srtp.map { "\($0.profile)" },
            selectedPair: iceSummary.selectedPair, localCandidates: iceSummary.localCandidates,
            remoteCandidates: iceSummary.remoteCandidates, candidatePairs: iceSummary.candidatePairs,
            streams: (router?.streams ?? []).compactMap { stream in now.map { stream.currentStats(now: $0) } },
            rtcpPackets: rtcpPackets, malformedRTPPackets: malformedRTPPackets, unroutableRTPPackets: router?.unroutablePackets ?? 0,
            malformedRTCPPackets: malformedRTCPPackets,
            authenticationFailures: counters.authenticationFailures, replays: counters.replays,
            duplicates: counters.duplicates, droppedStun: ice?.droppedStun ?? 0)
        stats.uncheckedSourceDrops = ice?.uncheckedSourceDrops ?? 0
        if let refused = router?.refusedSSRCs, refused > 0 { stats.limitsReached["ssrcs"] = refused }
        if let refused = ice?.refusedCandidates, refused > 0 { stats.limitsReached["candidates"] = refused }
        if refusedTracks > 0 { stats.limitsReached["tracks"] = refusedTracks }
        stats.unauthenticatedTurnResponses = ice?.unauthenticatedTurnResponses ?? 0
        return stats
    }
}
