@testable import RTC

/// Certificates shared by the DTLS and SRTP tests (RSA key generation takes a while).
enum DTLSTestCertificates {
    /// 2026-01-01T00:00:00Z: tests never read the wall clock.
    static let issuedAt: Int64 = 1_767_225_600
    static let ecdsa = make(.ecdsaP256)
    static let otherECDSA = make(.ecdsaP256)
    static let rsa = make(.rsa2048)

    private static func make(_ keyType: DTLSCertificate.KeyType) -> DTLSCertificate {
        do {
            return try DTLSCertificate(keyType: keyType, issuedAt: issuedAt)
        } catch {
            preconditionFailure("test certificate: \(error)")
        }
    }
}

/// A DTLS client and server joined by an in-memory link on a virtual clock. Datagrams arrive at
/// once unless `loss` says they are lost; when neither side has anything to send, the clock jumps
/// to the earliest `nextTimeout`.
struct DTLSHandshakeHarness {
    enum Side: Equatable { case client, server }

    struct SentDatagram {
        var side: Side
        var bytes: [UInt8]
        /// Virtual time since the harness started.
        var at: Duration
        var lost: Bool
    }

    let client: DTLSTransport
    let server: DTLSTransport
    let start: ContinuousClock.Instant
    private(set) var now: ContinuousClock.Instant
    private(set) var sent: [SentDatagram] = []
    /// Decides whether a datagram is lost, given the sender and how many it sent before.
    var loss: (inout FuzzRandom, Side, Int) -> Bool = { _, _, _ in false }
    var random = FuzzRandom(seed: 1)

    init(clientCertificate: DTLSCertificate = DTLSTestCertificates.ecdsa,
         serverCertificate: DTLSCertificate = DTLSTestCertificates.otherECDSA,
         clientExpects: [DTLSFingerprint]? = nil, serverExpects: [DTLSFingerprint]? = nil,
         mtu: Int = 1_200, clientProfiles: [SRTPProtectionProfile] = SRTPProtectionProfile.preferenceOrder,
         serverProfiles: [SRTPProtectionProfile] = SRTPProtectionProfile.preferenceOrder,
         timerMode: OpenSSLDTLSConnection.TimerMode = .preferred) throws {
        client = try DTLSTransport(role: .client, certificate: clientCertificate,
                                   remoteFingerprints: clientExpects ?? [serverCertificate.fingerprint], mtu: mtu,
                                   handshakeTimeout: .seconds(30), srtpProfiles: clientProfiles, timerMode: timerMode)
        server = try DTLSTransport(role: .server, certificate: serverCertificate,
                                   remoteFingerprints: serverExpects ?? [clientCertificate.fingerprint], mtu: mtu,
                                   handshakeTimeout: .seconds(30), srtpProfiles: serverProfiles, timerMode: timerMode)
        start = ContinuousClock.now
        now = start
    }

    var elapsed: Duration { now - start }

    func transport(_ side: Side) -> DTLSTransport { side == .client ? client : server }

    /// Runs until neither side has anything to send or wait for, or `limit` of virtual time passes.
    mutating func run(for limit: Duration = .seconds(120)) {
        client.start(now: now)
        server.start(now: now)
        let deadline = start + limit
        while true {
            let clientSent = deliver(from: .client)
            let serverSent = deliver(from: .server)
            if clientSent || serverSent { continue }
            guard let next = [client.nextTimeout, server.nextTimeout].compactMap(\.self).min(), next <= deadline else {
                return
            }
            now = max(now, next)
            client.handleTimeout(now: now)
            server.handleTimeout(now: now)
        }
    }

    /// Moves everything `side` has queued across the link; true if there was anything.
    @discardableResult
    mutating func deliver(from side: Side) -> Bool {
        let sender = transport(side)
        let receiver = transport(side == .client ? .server : .client)
        var delivered = false
        while let datagram = sender.pollTransmit() {
            delivered = true
            let ordinal = sent.count(where: { $0.side == side })
            let lost = loss(&random, side, ordinal)
            sent.append(SentDatagram(side: side, bytes: datagram, at: now - start, lost: lost))
            if !lost { receiver.handle(datagram: datagram, now: now) }
        }
        return delivered
    }

    mutating func advance(by duration: Duration) {
        now += duration
    }
}

extension DTLSState {
    var keyingMaterial: SRTPKeyingMaterial? {
        if case .connected(let keys) = self { return keys }
        return nil
    }

    var failureReason: String? {
        if case .failed(let reason) = self { return reason }
        return nil
    }
}

/// One DTLS record as it appears on the wire (RFC 6347 §4.1).
struct DTLSRecordView: Equatable {
    static let headerLength = 13

    var contentType: UInt8
    var version: UInt16
    var epoch: UInt16
    var sequenceNumber: UInt64
    var length: Int
    /// The first byte of the fragment: the handshake message type for plaintext handshake records.
    var firstFragmentByte: UInt8?

    /// The records a datagram holds, or nil unless it is exactly a sequence of whole records.
    static func records(in datagram: [UInt8]) -> [DTLSRecordView]? {
        var records: [DTLSRecordView] = []
        var offset = 0
        while offset < datagram.count {
            guard datagram.count - offset >= headerLength else { return nil }
            let header = datagram[offset..<offset + headerLength].map { UInt64($0) }
            let length = Int(header[11] << 8 | header[12])
            guard datagram.count - offset - headerLength >= length else { return nil }
            records.append(DTLSRecordView(
                contentType: datagram[offset],
                version: UInt16(header[1] << 8 | header[2]),
                epoch: UInt16(header[3] << 8 | header[4]),
                sequenceNumber: (5...10).reduce(0) { $0 << 8 | header[$1] },
                length: length,
                firstFragmentByte: length > 0 ? datagram[offset + headerLength] : nil))
            offset += headerLength + length
        }
        return records.isEmpty ? nil : records
    }
}

/// Keys from a real handshake, for SRTP tests.
func handshakeKeyingMaterial(profile: SRTPProtectionProfile) throws -> (client: SRTPKeyingMaterial, server: SRTPKeyingMaterial) {
    var harness = try DTLSHandshakeHarness(clientProfiles: [profile], serverProfiles: [profile])
    harness.run()
    guard let client = harness.client.state.keyingMaterial, let server = harness.server.state.keyingMaterial else {
        throw HandshakeDidNotConnect(client: harness.client.state, server: harness.server.state)
    }
    return (client, server)
}

struct HandshakeDidNotConnect: Error {
    var client: DTLSState
    var server: DTLSState
}

/// A fuzzing mutation of a datagram: flipped bits, random bytes, cuts, insertions, or a corrupted
/// record length, one to four times over.
func mutatedDatagram(_ original: [UInt8], using random: inout FuzzRandom) -> [UInt8] {
    var bytes = original
    for _ in 0..<Int.random(in: 1...4, using: &random) {
        if bytes.isEmpty { bytes = [UInt8.random(in: 0...255, using: &random)] }
        let position = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
        case 1: bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 2: bytes.removeSubrange(position...)
        case 3: bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: position)
        case 4 where bytes.count > 12:
            // A DTLS record length (or an RTP header field) that lies.
            bytes[11] = UInt8.random(in: 0...255, using: &random)
            bytes[12] = UInt8.random(in: 0...255, using: &random)
        case 5: bytes = (0..<Int.random(in: 0...1_500, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        default: bytes.swapAt(position, Int.random(in: 0..<bytes.count, using: &random))
        }
    }
    return bytes
}
