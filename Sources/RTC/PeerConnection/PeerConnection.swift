/// One WebRTC peer connection as the recorder needs it (receive audio and video, BUNDLE,
/// rtcp-mux) — or as the synthetic publisher needs it (send them) — sans-IO: SDP offer/answer,
/// an ICE agent, DTLS once ICE has a pair, then SRTP. The owner feeds it signaling, datagrams
/// and time; it polls datagrams and events out.
public final class PeerConnection: DatagramEndpoint {
    public let configuration: PeerConnectionConfiguration
    let sessionID: UInt64
    var sessionVersion: UInt64 = 1
    var random: SeededRandom
    var ice: IceAgent?
    var dtls: DTLSTransport?
    var srtp: SRTPSession?
    var negotiation: SDP.NegotiatedSession?
    var pendingOffer: SDP.SessionDescription?
    /// The tracks the pending offer sends; empty for a receive-only offer.
    var offeredTracks: [SDP.OutboundTrack] = []
    var localCredentials: IceCredentials
    var bases: [TransportAddress] = []
    /// Listening TCP sockets whose connections the driver hands us (ICE-TCP, passive).
    var passiveTCPBases: [TransportAddress] = []
    var now: ContinuousClock.Instant?
    var outbox: [IceTransmit] = []
    var events: [PeerConnectionEvent] = []
    var failed = false
    /// We closed the connection (`close(now:)`), or the peer did and we said so.
    var closed = false
    /// Set up with SRTP: sends each RTP packet to its stream's receiver.
    var router: RTPRouter?
    var feedback: ReceiverFeedback?
    /// When the streams or the feedback next need attention; never late, at worst early.
    var feedbackDue: ContinuousClock.Instant?
    /// See `DatagramEndpoint.needsService`: set by `receive` unless a datagram only carried media.
    public internal(set) var needsService = true
    var outboundStreams: [UInt32: OutboundStream] = [:]
    var rtcpPackets = 0
    /// Fed from a raw capture (`replayRTP`…): feedback is collected on schedule, as it was live,
    /// and never sent.
    var replaying = false
    var malformedRTPPackets = 0
    var malformedRTCPPackets = 0
    /// The most audio and video sections one remote offer had past the answer's limit
    /// (`SDP.AnswerBuilder.maxAcceptedSections`): `limitsReached["tracks"]`.
    var refusedTracks = 0
    /// Receives every complete frame, synchronously, while a datagram or a timeout is handled;
    /// the bytes are only valid during the call. It must not call into the connection: what it
    /// wants of it (a keyframe, when it had to drop the frame) it answers.
    public var onFrame: ((MediaFrame, UnsafeRawBufferPointer) -> FrameDisposition)?
    /// Sees every decrypted packet and settled negotiation (the raw capture); nil: nobody looks.
    public var tap: (any DecryptedPacketTap)?
    /// Forwards to `onFrame`; made once so that handing on a frame allocates nothing.
    lazy var frameHandler: (MediaFrame, UnsafeRawBufferPointer) -> FrameDisposition = { [unowned self] frame, bytes in
        self.onFrame?(frame, bytes) ?? .taken
    }

    public init(configuration: PeerConnectionConfiguration, seed: UInt64) {
        self.configuration = configuration
        self.random = SeededRandom(seed: seed)
        self.sessionID = random.next() >> 2
        self.localCredentials = IceCredentials.random()
    }

    /// The sockets to gather on; call once, before or after the descriptions.
    public func start(bases: [TransportAddress], now: ContinuousClock.Instant) {
        self.bases = bases
        self.now = now
        ice?.startGathering(bases: bases, passiveTCPBases: passiveTCPBases, now: now)
        drainIce()
    }

    /// The process's ICE-TCP listening sockets (`tcptype passive` host candidates): connections
    /// to them that check our ufrag are handed to us frame by frame, `base` the listening
    /// socket's address. Call before `start` (or as soon after as may be: candidates added once
    /// gathering has started are trickled).
    public func acceptPassiveTCP(on tcpBases: [TransportAddress], now: ContinuousClock.Instant) {
        passiveTCPBases = tcpBases
        self.now = now
        if let ice, !bases.isEmpty {
            ice.addPassiveTCPBases(tcpBases, now: now)
            drainIce()
        }
    }

    /// The driver closed the connection from `remote` to our TCP base (the peer closed it, or
    /// it broke); a call carried on it fails with `reason`.
    public func passiveTCPConnectionClosed(from remote: TransportAddress, on base: TransportAddress, reason: String,
                                           now: ContinuousClock.Instant) {
        self.now = now
        ice?.passiveTCPConnectionClosed(from: remote, on: base, reason: reason, now: now)
        drainIce()
    }

    // MARK: Offer/answer

    /// The bot arrived after the participant: offer to receive `audio` and `video` sections.
    public func createReceiveOnlyOffer(audio: Int = 1, video: Int = 1, now: ContinuousClock.Instant) -> String {
        let offer = SDP.ReceiveOnlyOfferBuilder(audioSections: audio, videoSections: video, codecs: configuration.codecs)
            .offer(transport: transportParameters, sessionID: sessionID, sessionVersion: nextVersion())
        pendingOffer = offer
        offeredTracks = []
        makeIceAgent(role: .controlling, now: now)
        return offer.serialized()
    }

    /// A sender arrived after the others: offer to send `tracks` (one `sendonly` section each).
    /// Once answered, `makeOutboundStreams` sets up the streams for the tracks accepted.
    public func createSendOffer(tracks: [SDP.OutboundTrack], now: ContinuousClock.Instant) -> String {
        let offer = SDP.SendOnlyOfferBuilder(tracks: tracks)
            .offer(transport: transportParameters, sessionID: sessionID, sessionVersion: nextVersion())
        pendingOffer = offer
        offeredTracks = tracks
        makeIceAgent(role: .controlling, now: now)
        return offer.serialized()
    }

    public func setRemoteAnswer(_ text: String, now: ContinuousClock.Instant) throws(PeerConnectionError) {
        guard let offer = pendingOffer else { throw PeerConnectionError("an answer arrived but we made no offer") }
        let answer = try parse(text)
        do {
            negotiation = offeredTracks.isEmpty
                ? try SDP.ReceiveOnlyOfferBuilder(codecs: configuration.codecs).negotiate(answer: answer, to: offer)
                : try SDP.SendOnlyOfferBuilder(tracks: offeredTracks).negotiate(answer: answer, to: offer)
        } catch {
            throw PeerConnectionError("cannot use the answer: \(error)")
        }
        pendingOffer = nil
        try applyRemoteTransport(now: now)
        tap?.tapNegotiation(offer: offer.serialized(), answer: text, remoteOffered: false, now: now)
    }

    /// The participant offered: answer to receive what it sends — or, configured to send media,
    /// to send it `tracks` in the sections where it receives.
    public func answer(remoteOffer text: String, sending tracks: [SDP.OutboundTrack] = [],
                       now: ContinuousClock.Instant) throws(PeerConnectionError) -> String {
        let offer = try parse(text)
        // A new offer while ours is outstanding is glare; the bot is the polite peer and rolls
        // its own offer back.
        pendingOffer = nil
        restartIceIfAsked(by: offer, now: now)
        let answer: SDP.Answer
        do {
            answer = try SDP.AnswerBuilder(codecs: configuration.codecs, sends: configuration.sendsMedia, tracks: tracks)
                .answer(to: offer, transport: transportParameters, sessionID: sessionID, sessionVersion: nextVersion())
        } catch {
            throw PeerConnectionError("cannot answer the offer: \(error)")
        }
        negotiation = answer.negotiation
        refusedTracks = max(refusedTracks, answer.negotiation.sectionsOverLimit)
        if ice == nil { makeIceAgent(role: .controlled, now: now) }
        try applyRemoteTransport(now: now)
        let answerText = answer.sessionDescription.serialized()
        tap?.tapNegotiation(offer: text, answer: answerText, remoteOffered: true, now: now)
        return answerText
    }

    /// A trickled remote candidate (`candidate:…`), or nil/empty for end of candidates. A
    /// candidate on a transport we do not speak is skipped quietly; a malformed one is refused.
    public func addRemoteCandidate(_ sdpValue: String?, now: ContinuousClock.Instant) throws(PeerConnectionError) {
        guard let sdpValue, !sdpValue.isEmpty else { return }
        let candidate: Candidate
        do {
            candidate = try Candidate(sdpValue: sdpValue)
        } catch where error.isUnsupportedTransport {
            return  // TLS, SCTP…: the peer's UDP (and TCP) ones are what we use
        } catch {
            throw PeerConnectionError("\(error)")
        }
        ice?.addRemoteCandidate(candidate, now: now)
        drainIce()
    }

    public var negotiatedSession: SDP.NegotiatedSession? { negotiation }

    /// The mid our candidates are trickled under: the transport's (the BUNDLE tag, else the first
    /// section; "0" before anything is negotiated).
    public var trickleMid: String {
        negotiation?.bundleMids.first ?? negotiation?.media.first?.mid ?? "0"
    }

    /// Our ICE username fragment, as our description and candidates carry it: a plain relay
    /// room's peers tell our candidates from others' by it.
    public var localUsernameFragment: String { localCredentials.ufrag }

    // MARK: Internals shared with the datagram path

    var transportParameters: SDP.TransportParameters {
        SDP.TransportParameters(iceUfrag: localCredentials.ufrag, icePwd: localCredentials.password,
                                fingerprint: configuration.certificate.fingerprint)
    }

    private func nextVersion() -> UInt64 {
        sessionVersion += 1
        return sessionVersion
    }

    func parse(_ text: String) throws(PeerConnectionError) -> SDP.SessionDescription {
        do {
            return try SDP.SessionDescription(parsing: text)
        } catch {
            throw PeerConnectionError("malformed SDP: \(error)")
        }
    }

    /// A renegotiation offer with new ICE credentials asks for an ICE restart (RFC 8445 §9):
    /// the agent restarts and takes new local credentials, which the answer must carry.
    private func restartIceIfAsked(by offer: SDP.SessionDescription, now: ContinuousClock.Instant) {
        guard let ice, let current = ice.remoteCredentials, let section = offer.media.first(where: { $0.port != 0 }),
              let ufrag = offer.iceUfrag(for: section), let password = offer.icePwd(for: section),
              ufrag != current.ufrag || password != current.password else { return }
        ice.setRemoteCredentials(IceCredentials(ufrag: ufrag, password: password), now: now)
        localCredentials = ice.localCredentials
        drainIce()
    }

    private func makeIceAgent(role: IceRole, now: ContinuousClock.Instant) {
        guard ice == nil else { return }
        let agent = IceAgent(role: role, credentials: localCredentials, configuration: configuration.ice, seed: random.next())
        ice = agent
        if !bases.isEmpty { agent.startGathering(bases: bases, passiveTCPBases: passiveTCPBases, now: now) }
        drainIce()
    }

    /// Hands the remote ICE credentials and candidates to ICE and prepares DTLS in the role the
    /// descriptions settled.
    private func applyRemoteTransport(now: ContinuousClock.Instant) throws(PeerConnectionError) {
        guard let negotiation, let remote = negotiation.remoteTransport, let localRole = negotiation.localSetupRole else {
            throw PeerConnectionError("no audio or video section was accepted")
        }
        ice?.setRemoteCredentials(IceCredentials(ufrag: remote.iceUfrag, password: remote.icePwd), now: now)
        for candidate in remote.candidates { ice?.addRemoteCandidate(candidate, now: now) }
        if dtls == nil {
            // Negotiation refused any section without a usable fingerprint, so there is one here.
            do {
                dtls = try DTLSTransport(role: localRole == .active ? .client : .server,
                                         certificate: configuration.certificate, remoteFingerprints: remote.fingerprints)
            } catch {
                throw PeerConnectionError("cannot set up DTLS: \(error)")
            }
        }
        drainIce()
    }

    func fail(_ reason: String) {
        guard !failed else { return }
        failed = true
        events.append(.failed(reason: reason))
    }
}
