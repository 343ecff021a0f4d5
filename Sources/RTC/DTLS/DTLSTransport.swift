/// The DTLS-SRTP handshake of one peer connection, sans-IO: datagrams and the time go in;
/// datagrams to send, the state, and the next time to be called come out. It never reads a clock
/// or touches a socket.
///
/// Driving contract, after each `start`, `handle(datagram:now:)`, `handleTimeout(now:)` or `close()`:
/// drain `pollTransmit()` until nil, then read `state` and re-arm the timer at `nextTimeout`.
/// Datagrams wait in the transport until polled, so a retransmission queued by `handleTimeout`
/// always goes out with that same drain.
///
/// Not `Sendable`: it belongs to one peer connection, driven from one event loop.
public final class DTLSTransport {
    public let role: DTLSRole
    /// The peer's `a=fingerprint` values; its certificate must match one of them.
    public let remoteFingerprints: [DTLSFingerprint]
    /// The largest datagram we send (the UDP payload, DTLS record headers included).
    public let mtu: Int
    /// How long the handshake may take from `start` before the transport gives up.
    public let handshakeTimeout: Duration
    public private(set) var state: DTLSState = .new

    private let connection: OpenSSLDTLSConnection
    /// The rest of an OpenSSL write that was cut to fit the MTU, oldest first.
    private var splitDatagrams: [[UInt8]] = []
    private var retransmission = DTLSRetransmissionTimer()
    /// OpenSSL's timer-start count when we last looked: a change means a new flight went out.
    private var observedTimerStarts: UInt = 0
    private var handshakeDeadline: ContinuousClock.Instant?
    private var latestNow: ContinuousClock.Instant?

    /// - Parameters:
    ///   - role: `.client` when our SDP says `a=setup:active`.
    ///   - remoteFingerprints: Every `a=fingerprint` of the remote description (at least one).
    ///   - srtpProfiles: The SRTP protection profiles to offer or accept, most preferred first.
    public convenience init(role: DTLSRole, certificate: DTLSCertificate, remoteFingerprints: [DTLSFingerprint],
                            mtu: Int = 1_200, handshakeTimeout: Duration = .seconds(30),
                            srtpProfiles: [SRTPProtectionProfile] = SRTPProtectionProfile.preferenceOrder)
        throws(DTLSSetupError)
    {
        try self.init(role: role, certificate: certificate, remoteFingerprints: remoteFingerprints, mtu: mtu,
                      handshakeTimeout: handshakeTimeout, srtpProfiles: srtpProfiles, timerMode: .preferred)
    }

    init(role: DTLSRole, certificate: DTLSCertificate, remoteFingerprints: [DTLSFingerprint], mtu: Int,
         handshakeTimeout: Duration, srtpProfiles: [SRTPProtectionProfile],
         timerMode: OpenSSLDTLSConnection.TimerMode) throws(DTLSSetupError)
    {
        guard !remoteFingerprints.isEmpty else {
            throw DTLSSetupError(reason: "a DTLS transport needs the remote description's a=fingerprint; there is none")
        }
        self.role = role
        self.remoteFingerprints = remoteFingerprints
        self.mtu = mtu
        self.handshakeTimeout = handshakeTimeout
        guard !srtpProfiles.isEmpty else {
            throw DTLSSetupError(reason: "a DTLS-SRTP transport needs at least one SRTP protection profile")
        }
        connection = try OpenSSLDTLSConnection(role: role, certificate: certificate, mtu: mtu,
                                               srtpProfiles: srtpProfiles, timerMode: timerMode)
    }

    /// When to call `handleTimeout`: the next retransmission or the handshake deadline; nil once
    /// the handshake is over (or before it started).
    public var nextTimeout: ContinuousClock.Instant? {
        guard case .connecting = state else { return nil }
        return [retransmission.deadline, handshakeDeadline].compactMap(\.self).min()
    }

    /// Begins the handshake; a client queues its ClientHello. Receiving a datagram starts it too,
    /// so a server needs no explicit call.
    public func start(now: ContinuousClock.Instant) {
        guard case .new = state else { return }
        let now = monotonic(now)
        state = .connecting
        handshakeDeadline = now + handshakeTimeout
        continueHandshake(now: now)
    }

    /// Feeds one received datagram (the first byte in 20...63, RFC 7983). Datagrams that are not
    /// whole, plausible DTLS records are dropped before OpenSSL sees them (see `DTLSInboundScreen`).
    public func handle(datagram: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
        guard !state.isTerminal,
              DTLSInboundScreen.accepts(datagram, minimumProtectedRecordLength: connection.minimumProtectedRecordLength)
        else { return }
        let now = monotonic(now)
        start(now: now)
        connection.receive(datagram)
        switch state {
        case .connecting: continueHandshake(now: now)
        case .connected: readAfterHandshake()
        case .new, .failed, .closed: break
        }
    }

    public func handle(datagram: [UInt8], now: ContinuousClock.Instant) {
        datagram.withUnsafeBytes { handle(datagram: $0, now: now) }
    }

    /// Retransmits the last flight if its timer is due, and fails the handshake past its deadline.
    public func handleTimeout(now: ContinuousClock.Instant) {
        guard case .connecting = state else { return }
        let now = monotonic(now)
        if let handshakeDeadline, now >= handshakeDeadline {
            fail("DTLS handshake timed out after \(handshakeTimeout.components.seconds) s")
            return
        }
        guard let deadline = retransmission.deadline, now >= deadline else { return }
        guard connection.retransmitFlight() else {
            fail("DTLS handshake timed out: OpenSSL stopped retransmitting")
            return
        }
        // The restart OpenSSL just made is the retransmission, not a new flight.
        observedTimerStarts = connection.retransmissionTimerStarts
        switch connection.timerMode {
        case .callerClock: retransmission.retransmitted(at: now)
        case .openSSLClock: trackRetransmissionTimer(now: now)
        }
    }

    /// The next datagram to send: whole DTLS records, at most `mtu` bytes.
    public func pollTransmit() -> [UInt8]? {
        if !splitDatagrams.isEmpty { return splitDatagrams.removeFirst() }
        guard let written = connection.nextOutgoingDatagram() else { return nil }
        var datagrams = DTLSDatagramSplitter.split(written, maximumSize: mtu)
        let first = datagrams.removeFirst()
        splitDatagrams = datagrams
        return first
    }

    /// Sends close_notify if connected; ends the transport in any case.
    public func close() {
        switch state {
        case .connected:
            connection.shutdown()
            state = .closed
        case .new, .connecting:
            state = .closed
        case .failed, .closed:
            return
        }
        stopTimers()
    }

    // MARK: Handshake

    private func continueHandshake(now: ContinuousClock.Instant) {
        switch connection.handshake() {
        case .needsMoreInput:
            trackRetransmissionTimer(now: now)
        case .finished:
            finishHandshake()
        case .closedByPeer:
            state = .closed
            stopTimers()
        case .failed(let detail):
            fail("DTLS handshake failed: \(detail)")
        }
    }

    /// Follows OpenSSL's timer: a new flight (re)starts our schedule; a stopped timer means the
    /// peer answered.
    private func trackRetransmissionTimer(now: ContinuousClock.Instant) {
        switch connection.timerMode {
        case .callerClock:
            guard connection.retransmissionTimerRemaining != nil else {
                retransmission.stop()
                return
            }
            let starts = connection.retransmissionTimerStarts
            if starts != observedTimerStarts || retransmission.deadline == nil {
                observedTimerStarts = starts
                retransmission.flightSent(at: now)
            }
        case .openSSLClock:
            retransmission.follow(connection.retransmissionTimerRemaining.map { now + $0 })
        }
    }

    private func finishHandshake() {
        stopTimers()
        if let mismatch = peerFingerprintMismatch() {
            // close_notify tells the peer at once instead of leaving it to time out.
            connection.shutdown()
            fail(mismatch)
            return
        }
        guard let profile = connection.selectedSRTPProfile else {
            fail("DTLS peer agreed to no SRTP protection profile (use_srtp)")
            return
        }
        let length = 2 * (profile.masterKeyLength + profile.masterSaltLength)
        guard let exported = connection.exportSRTPKeyingMaterial(byteCount: length) else {
            fail("DTLS-SRTP key export failed")
            return
        }
        state = .connected(SRTPKeyingMaterial(profile: profile, exporterOutput: exported, localRole: role))
        // The datagram that finished the handshake may carry more records.
        readAfterHandshake()
    }

    /// Nil when the peer's certificate matches one of the SDP's fingerprints; otherwise the reason.
    private func peerFingerprintMismatch() -> String? {
        var presented: DTLSFingerprint?
        for expected in remoteFingerprints {
            guard let actual = connection.peerCertificateFingerprint(using: expected.algorithm) else {
                return "DTLS peer presented no certificate"
            }
            if actual == expected { return nil }
            presented = presented ?? actual
        }
        let expected = remoteFingerprints.map(\.sdpValue).joined(separator: " or ")
        let actual = presented.map(\.sdpValue) ?? "?"
        return "DTLS peer certificate fingerprint \(actual) does not match the SDP's \(expected)"
    }

    // MARK: After the handshake

    private func readAfterHandshake() {
        switch connection.discardApplicationData() {
        case .needsMoreInput, .finished:
            break
        case .closedByPeer:
            // Answer close_notify with ours, as TLS asks.
            connection.shutdown()
            state = .closed
        case .failed(let detail):
            fail("DTLS connection failed: \(detail)")
        }
    }

    // MARK: Helpers

    private func fail(_ reason: String) {
        state = .failed(reason: reason)
        stopTimers()
    }

    private func stopTimers() {
        retransmission.stop()
        handshakeDeadline = nil
    }

    /// Time never runs backwards here: an earlier `now` than one already seen counts as that one.
    private func monotonic(_ now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        if let latestNow, now < latestNow { return latestNow }
        latestNow = now
        return now
    }
}
