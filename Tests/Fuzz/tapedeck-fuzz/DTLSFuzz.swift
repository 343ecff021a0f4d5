@testable import RTC

/// Datagrams arriving at a DTLS transport during its handshake: our record screen and MTU splitter
/// (the DTLS code that is ours) on each, then OpenSSL behind them. The first message's flags bit 0
/// makes the transport a client (it has sent its ClientHello) rather than a server.
enum DTLSFuzz {
    /// 2026-01-01T00:00:00Z: fixed, like the tests' certificates.
    static let certificate = try! DTLSCertificate(keyType: .ecdsaP256, issuedAt: 1_767_225_600)
    static let peerFingerprint = DTLSFingerprint(algorithm: .sha256, digest: [UInt8](repeating: 0xAB, count: 32))

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        var messages = FuzzInput(input)
        guard let first = messages.next() else { return }
        let role: DTLSRole = first.flags & 1 == 0 ? .server : .client
        guard let transport = try? DTLSTransport(role: role, certificate: certificate, remoteFingerprints: [peerFingerprint]) else {
            return fuzzCheck(false, "a transport with a valid certificate could not be made")
        }
        var now = ContinuousClock.now
        transport.start(now: now)
        var message: FuzzInput.Message? = first
        while let current = message {
            checkScreenAndSplitter(current.bytes, mtu: transport.mtu)
            transport.handle(datagram: current.bytes, now: now)
            while let datagram = transport.pollTransmit() {
                fuzzCheck(datagram.count <= transport.mtu || DTLSRecordHeader(in: datagram, at: 0)?.end(startingAt: 0) == datagram.count,
                          "sent \(datagram.count) bytes over the MTU")
            }
            now += .milliseconds(100 * Int(current.flags >> 4))
            transport.handleTimeout(now: now)
            message = messages.next()
        }
        transport.close()
        while transport.pollTransmit() != nil {}
    }

    /// The splitter cuts only at record boundaries and loses nothing; the screen never reads past the end.
    static func checkScreenAndSplitter(_ bytes: [UInt8], mtu: Int) {
        _ = bytes.withUnsafeBytes { DTLSInboundScreen.accepts($0, minimumProtectedRecordLength: 24) }
        let pieces = DTLSDatagramSplitter.split(bytes, maximumSize: mtu)
        fuzzCheck(Array(pieces.joined()) == bytes, "splitting \(bytes.count) bytes lost or reordered some")
        fuzzCheck(!pieces.isEmpty, "splitting gave no datagram")
    }
}
