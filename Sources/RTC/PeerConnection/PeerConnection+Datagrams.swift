extension PeerConnection {
    /// Demultiplexes one datagram (RFC 7983). Media from a direct peer is decrypted where it
    /// lies, with no copy and no allocation; STUN and TURN-relayed traffic go through ICE.
    public func receive(_ datagram: UnsafeMutableRawBufferPointer, from source: TransportAddress, on base: TransportAddress,
                        now: ContinuousClock.Instant) {
        self.now = now
        guard let first = datagram.first, let ice else { return }
        if DatagramKind(firstByte: first) == .stun || ice.isTurnServer(source, base: base) {
            if case .relayedApplication(var bytes, _) = ice.handle(datagram: Array(datagram), from: source, on: base, now: now) {
                bytes.withUnsafeMutableBytes { deliverApplication($0, now: now) }
            }
            drainIce()
        } else {
            ice.noteApplicationTraffic(from: source, now: now)
            deliverApplication(datagram, now: now)
        }
    }

    private func deliverApplication(_ datagram: UnsafeMutableRawBufferPointer, now: ContinuousClock.Instant) {
        guard let first = datagram.first else { return }
        switch DatagramKind(firstByte: first) {
        case .dtls:
            dtls?.handle(datagram: UnsafeRawBufferPointer(datagram), now: now)
            serviceDTLS(now: now)
        case .rtpOrRTCP:
            guard let srtp, datagram.count >= 12 else { return }
            // RFC 5761 §4: RTCP packet types 192–223 sit where RTP's marker and payload type are.
            if (192...223).contains(datagram[1]) {
                if case .decrypted = srtp.unprotectRTCP(datagram) { rtcpPackets += 1 }
            } else if case .decrypted(let length) = srtp.unprotectRTP(datagram) {
                account(datagram, length: length)
            }
        default:
            break
        }
    }

    private func account(_ packet: UnsafeMutableRawBufferPointer, length: Int) {
        let ssrc = UInt32(packet[8]) << 24 | UInt32(packet[9]) << 16 | UInt32(packet[10]) << 8 | UInt32(packet[11])
        if streams[ssrc] == nil { streams[ssrc] = describeStream(ssrc: ssrc, payloadType: packet[1] & 0x7F) }
        streams[ssrc]!.packets += 1
        streams[ssrc]!.bytes += length
    }

    private func describeStream(ssrc: UInt32, payloadType: UInt8) -> InboundStreamStats {
        for media in negotiation?.media ?? [] {
            if let codec = media.codec(payloadType: payloadType) {
                return InboundStreamStats(ssrc: ssrc, mid: media.mid, kind: "\(media.kind)", codec: codec.encodingName, payloadType: payloadType)
            }
            if let original = media.retransmissionPayloadTypes[payloadType], let codec = media.codec(payloadType: original) {
                return InboundStreamStats(ssrc: ssrc, mid: media.mid, kind: "\(media.kind)", codec: "rtx(\(codec.encodingName))",
                                          payloadType: payloadType)
            }
        }
        return InboundStreamStats(ssrc: ssrc, mid: nil, kind: "unknown", codec: "pt \(payloadType)", payloadType: payloadType)
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
                events.append(.connected)
            } catch {
                fail("cannot set up SRTP: \(error)")
            }
        case .failed(let reason):
            fail("DTLS: \(reason)")
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
    }

    public func pollTransmit() -> IceTransmit? {
        drainIce()
        return outbox.isEmpty ? nil : outbox.removeFirst()
    }

    public func pollEvent() -> PeerConnectionEvent? {
        drainIce()
        return events.isEmpty ? nil : events.removeFirst()
    }

    /// Asked after every read batch: computed without building collections.
    public var nextTimeout: ContinuousClock.Instant? {
        guard !failed else { return nil }
        let iceTimeout = ice?.nextTimeout
        guard let dtls, dtls.state != .new, let dtlsTimeout = dtls.nextTimeout else { return iceTimeout }
        guard let iceTimeout else { return dtlsTimeout }
        return min(iceTimeout, dtlsTimeout)
    }

    /// Protects and sends one RTCP compound packet on the selected path.
    public func sendRTCP(_ packet: [UInt8]) throws(PeerConnectionError) {
        try protectAndSend(packet, isRTCP: true)
    }

    /// Protects and sends one RTP packet on the selected path (the synthetic publisher sends media).
    public func sendRTP(_ packet: [UInt8]) throws(PeerConnectionError) {
        try protectAndSend(packet, isRTCP: false)
    }

    private func protectAndSend(_ packet: [UInt8], isRTCP: Bool) throws(PeerConnectionError) {
        guard let srtp, let ice else { throw PeerConnectionError("not connected") }
        var bytes = packet
        do {
            if isRTCP { try srtp.protectRTCP(&bytes) } else { try srtp.protectRTP(&bytes) }
        } catch {
            throw PeerConnectionError("cannot protect \(isRTCP ? "RTCP" : "RTP"): \(error)")
        }
        guard let transmit = ice.transmit(applicationData: bytes) else { throw PeerConnectionError("no ICE path") }
        outbox.append(transmit)
    }

    public func close(now: ContinuousClock.Instant) {
        dtls?.close()
        serviceDTLS(now: now)
        ice?.close(now: now)
        drainIce()
    }

    public var isConnected: Bool { srtp != nil && !failed }

    public var stats: PeerConnectionStats {
        let counters = srtp?.counters ?? SRTPCounters()
        let pair = ice?.selectedPair.map { "\($0.local) <-> \($0.remote)" }
        return PeerConnectionStats(
            iceState: ice?.state ?? .new, dtlsConnected: srtp != nil, srtpProfile: srtp.map { "\($0.profile)" },
            selectedPair: pair, streams: streams.values.sorted { $0.ssrc < $1.ssrc }, rtcpPackets: rtcpPackets,
            authenticationFailures: counters.authenticationFailures, replays: counters.replays,
            duplicates: counters.duplicates, droppedStun: ice?.droppedStun ?? 0)
    }
}
