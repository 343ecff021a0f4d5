internal import COpenSSL
internal import CDTLSShims

/// One OpenSSL DTLS connection set up for WebRTC DTLS-SRTP, behind datagram queues instead of a
/// socket. It translates OpenSSL's calling conventions into Swift values and keeps no protocol
/// state of its own; `DTLSTransport` decides what to do with the results.
final class OpenSSLDTLSConnection {
    /// How OpenSSL's retransmission timer is driven.
    enum TimerMode {
        /// The caller's clock decides when a flight is retransmitted: OpenSSL's own timer is set an
        /// hour out so it never fires by itself, and is expired on demand (see datagram_bio.c).
        case callerClock
        /// OpenSSL's wall-clock timer decides; we only report when it will fire. For OpenSSL
        /// versions whose timer cannot be expired from outside (3.2 and later).
        case openSSLClock

        static var preferred: TimerMode {
            tapedeck_datagram_bio_supports_dtls_timer_expiry() == 1 ? .callerClock : .openSSLClock
        }
    }

    /// What a call into OpenSSL came to.
    enum Step: Equatable {
        case finished
        case needsMoreInput
        case closedByPeer
        case failed(String)
    }

    let timerMode: TimerMode

    /// SSL*; it owns both BIOs.
    private let ssl: OpaquePointer
    /// BIO* OpenSSL reads received datagrams from.
    private let inbound: OpaquePointer
    /// BIO* OpenSSL writes datagrams to send into.
    private let outbound: OpaquePointer
    /// Where application data read after the handshake goes to be dropped (WebRTC media uses
    /// SRTP; without data channels nothing meaningful arrives as DTLS application data).
    private let discardBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2_048, alignment: 1)

    /// ECDHE (forward secrecy) with AEAD only: ECDSA suites for Chromium, Firefox and aiortc (which
    /// offers nothing else), RSA suites so peers with RSA certificates still connect. No CBC suites:
    /// with them OpenSSL 3.0 negotiates encrypt-then-MAC, and then any forged record with a bad MAC
    /// is a fatal error instead of being discarded, so one stray datagram ends the connection.
    private static let cipherList = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    /// An hour, in the microseconds DTLS_set_timer_cb deals in: "never" for a handshake capped at 30 s.
    private static let dormantTimerMicroseconds: UInt32 = 3_600_000_000

    init(role: DTLSRole, certificate: DTLSCertificate, mtu: Int, srtpProfiles: [SRTPProtectionProfile],
         timerMode: TimerMode) throws(DTLSSetupError)
    {
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(DTLS_method()) else { throw DTLSSetupError.openSSL("SSL_CTX_new") }
        // The connection takes its own reference to the context.
        defer { SSL_CTX_free(context) }
        try Self.configure(context, certificate: certificate, srtpProfiles: srtpProfiles)

        guard let ssl = SSL_new(context) else { throw DTLSSetupError.openSSL("SSL_new") }
        let newInbound = tapedeck_datagram_bio_new()
        let newOutbound = tapedeck_datagram_bio_new()
        guard let inbound = newInbound, let outbound = newOutbound else {
            BIO_free(newInbound)
            BIO_free(newOutbound)
            SSL_free(ssl)
            throw DTLSSetupError.openSSL("creating the datagram BIOs")
        }
        SSL_set_bio(ssl, inbound, outbound)
        self.ssl = ssl
        self.inbound = inbound
        self.outbound = outbound
        self.timerMode = timerMode

        // Our MTU, never the kernel's guess (there is no socket to ask). No renegotiation: the SRTP
        // keys are exported once. No session tickets: WebRTC never resumes a DTLS session, and the
        // ticket is one more datagram the final flight needs to get through.
        let options = tapedeck_SSL_OP_NO_QUERY_MTU | tapedeck_SSL_OP_NO_RENEGOTIATION | tapedeck_SSL_OP_NO_TICKET
        _ = tapedeck_SSL_set_options(ssl, Int(truncatingIfNeeded: options))
        guard tapedeck_SSL_set_mtu(ssl, mtu) == mtu else { throw DTLSSetupError.openSSL("SSL_set_mtu(\(mtu))") }
        if timerMode == .callerClock {
            DTLS_set_timer_cb(ssl) { _, _ in OpenSSLDTLSConnection.dormantTimerMicroseconds }
        }
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
    }

    deinit {
        SSL_free(ssl)
        discardBuffer.deallocate()
    }

    private static func configure(_ context: OpaquePointer, certificate: DTLSCertificate,
                                  srtpProfiles: [SRTPProtectionProfile]) throws(DTLSSetupError) {
        guard tapedeck_SSL_CTX_set_min_proto_version(context, DTLS1_2_VERSION) == 1 else {
            throw DTLSSetupError.openSSL("requiring DTLS 1.2")
        }
        guard SSL_CTX_set_cipher_list(context, cipherList) == 1 else {
            throw DTLSSetupError.openSSL("SSL_CTX_set_cipher_list")
        }
        guard tapedeck_SSL_CTX_set1_groups_list(context, "X25519:P-256:P-384") == 1 else {
            throw DTLSSetupError.openSSL("SSL_CTX_set1_groups_list")
        }
        let profiles = srtpProfiles.map(\.openSSLName).joined(separator: ":")
        // Returns 0 on success, unlike most of OpenSSL.
        guard SSL_CTX_set_tlsext_use_srtp(context, profiles) == 0 else {
            throw DTLSSetupError.openSSL("SSL_CTX_set_tlsext_use_srtp")
        }
        guard SSL_CTX_use_certificate(context, certificate.certificate) == 1,
              SSL_CTX_use_PrivateKey(context, certificate.privateKey) == 1,
              SSL_CTX_check_private_key(context) == 1
        else { throw DTLSSetupError.openSSL("installing the certificate") }
        // Ask for the peer's certificate (a server sends CertificateRequest) and accept any,
        // self-signed included: trust comes from comparing its fingerprint with the SDP's.
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { _, _ in 1 }
    }

    // MARK: Datagrams

    func receive(_ datagram: UnsafeRawBufferPointer) {
        guard let base = datagram.baseAddress, datagram.count <= Int(Int32.max) else { return }
        _ = BIO_write(inbound, base, Int32(datagram.count))
    }

    func nextOutgoingDatagram() -> [UInt8]? {
        let size = tapedeck_datagram_bio_next_datagram_size(outbound)
        guard size > 0 else { return nil }
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = max(0, Int(BIO_read(outbound, buffer.baseAddress, Int32(size))))
        }
    }

    /// The shortest protected record the negotiated cipher produces: ChaCha20-Poly1305 adds a
    /// 16-byte tag, AES-GCM an 8-byte explicit nonce and a 16-byte tag. Before a cipher is chosen,
    /// the smaller of the two.
    var minimumProtectedRecordLength: Int {
        guard let cipher = SSL_get_current_cipher(ssl) else { return 16 }
        return SSL_CIPHER_get_cipher_nid(cipher) == NID_chacha20_poly1305 ? 16 : 24
    }

    // MARK: Handshake and connection

    func handshake() -> Step {
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        return result == 1 ? .finished : classify(result)
    }

    /// Reads whatever records arrived after the handshake. Reading is also how OpenSSL notices a
    /// close_notify, and how it answers a peer that retransmits its last flight (our answer was lost).
    func discardApplicationData() -> Step {
        OpenSSLErrorQueue.clear()
        while true {
            let result = SSL_read(ssl, discardBuffer.baseAddress, Int32(discardBuffer.count))
            if result <= 0 { return classify(result) }
        }
    }

    /// Queues a close_notify (only once the handshake has finished; before that OpenSSL refuses).
    func shutdown() {
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()
    }

    private func classify(_ result: Int32) -> Step {
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .needsMoreInput
        case SSL_ERROR_ZERO_RETURN:
            return .closedByPeer
        default:
            let detail = OpenSSLErrorQueue.drain()
            return .failed(detail.isEmpty ? "OpenSSL error \(code) (SSL_get_error), nothing queued" : detail)
        }
    }

    // MARK: Retransmission timer

    /// How many times OpenSSL has started its timer: a change means a new flight (or a retransmission) went out.
    var retransmissionTimerStarts: UInt {
        UInt(tapedeck_datagram_bio_dtls_timer_starts(inbound))
    }

    /// Time left on OpenSSL's own timer, by its wall clock; nil when no flight awaits an answer.
    var retransmissionTimerRemaining: Duration? {
        var remaining = timeval()
        guard tapedeck_DTLSv1_get_timeout(ssl, &remaining) == 1 else { return nil }
        return .seconds(remaining.tv_sec) + .microseconds(remaining.tv_usec)
    }

    /// Sends the last flight again. False when OpenSSL gives up (after 12 attempts).
    func retransmitFlight() -> Bool {
        if timerMode == .callerClock {
            _ = tapedeck_datagram_bio_expire_dtls_timer(inbound)
        }
        OpenSSLErrorQueue.clear()
        let result = tapedeck_DTLSv1_handle_timeout(ssl)
        OpenSSLErrorQueue.clear()
        return result >= 0
    }

    // MARK: After the handshake

    func peerCertificateFingerprint(using algorithm: DTLSFingerprint.Algorithm) -> DTLSFingerprint? {
        guard let peer = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(peer) }
        return DTLSFingerprint(certificate: peer, algorithm: algorithm)
    }

    var selectedSRTPProfile: SRTPProtectionProfile? {
        guard let profile = SSL_get_selected_srtp_profile(ssl) else { return nil }
        return SRTPProtectionProfile(protectionProfileID: UInt(profile.pointee.id))
    }

    /// RFC 5764 §4.2: the exporter with label "EXTRACTOR-dtls_srtp" and no context.
    func exportSRTPKeyingMaterial(byteCount: Int) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: byteCount)
        let label = "EXTRACTOR-dtls_srtp"
        let result = SSL_export_keying_material(ssl, &output, byteCount, label, label.utf8.count, nil, 0, 0)
        return result == 1 ? output : nil
    }
}
