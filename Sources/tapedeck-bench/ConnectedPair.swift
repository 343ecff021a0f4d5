import RTC

/// A recorder-side peer that offered to receive and a sending peer that answered, connected
/// through ICE and DTLS by handing datagrams and trickled candidates across in virtual time: where
/// the receive-path benchmarks start.
struct ConnectedPair {
    static let receiverBase = TransportAddress(ip: IPAddress("192.0.2.10")!, port: 40_000)
    static let senderBase = TransportAddress(ip: IPAddress("192.0.2.20")!, port: 50_000)

    let receiver: PeerConnection
    let sender: PeerConnection
    /// The virtual time both were connected at.
    let connectedAt: ContinuousClock.Instant
    /// When the receiver asked to be woken, as of its last poll.
    var receiverWakeUp: ContinuousClock.Instant?

    init() throws {
        let start = ContinuousClock.now
        var now = start
        receiver = PeerConnection(configuration: PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000)), seed: 1)
        var senderConfiguration = PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: 1_800_000_000))
        senderConfiguration.sendsMedia = true
        senderConfiguration.wallClock = WallClockReference(instant: start, unixSeconds: 1_800_000_000)
        sender = PeerConnection(configuration: senderConfiguration, seed: 2)
        receiver.start(bases: [Self.receiverBase], now: now)
        sender.start(bases: [Self.senderBase], now: now)
        try receiver.setRemoteAnswer(try sender.answer(remoteOffer: receiver.createReceiveOnlyOffer(now: now), now: now), now: now)
        while !(receiver.isConnected && sender.isConnected) {
            guard now - start < .seconds(30) else { throw BenchError("the two peer connections did not connect") }
            try Self.exchange(receiver, sender, now: now)
            now += .milliseconds(1)
            receiver.handleTimeout(now: now)
            sender.handleTimeout(now: now)
        }
        // The last flights and events of the handshake are delivered: the benchmark starts clean.
        try Self.exchange(receiver, sender, now: now)
        receiverWakeUp = try Self.exchange(receiver, sender, now: now)
        connectedAt = now
    }

    /// One round of both peers' output handed to the other; returns the receiver's wake-up.
    @discardableResult
    private static func exchange(_ receiver: PeerConnection, _ sender: PeerConnection,
                                 now: ContinuousClock.Instant) throws -> ContinuousClock.Instant? {
        var receiverWakeUp: ContinuousClock.Instant?
        for (peer, other, otherBase) in [(receiver, sender, senderBase), (sender, receiver, receiverBase)] {
            let output = peer.pollAll()
            if peer === receiver { receiverWakeUp = output.wakeUp }
            for event in output.events {
                if case .localCandidate(let candidate) = event { try other.addRemoteCandidate(candidate.sdpValue, now: now) }
            }
            for transmit in output.transmits {
                var bytes = transmit.bytes
                bytes.withUnsafeMutableBytes { other.receive($0, from: transmit.base, on: otherBase, now: now) }
            }
        }
        return receiverWakeUp
    }
}
