import RTC
import Testing

/// DTLS, SRTP and SRTCP are taken only from paths ICE checks validated: a stranger who learns the
/// port cannot break the handshake or inject media.
@Suite("DTLS, SRTP and SRTCP only from addresses that passed ICE checks")
struct UncheckedSourceTests {
    static let stranger = TransportAddress(ip: IPAddress("198.51.100.66")!, port: 4_444)

    /// A fatal handshake_failure alert (RFC 6347 §4.1 record: type 21, DTLS 1.2, epoch 0,
    /// sequence number 0x1000 so no replay window drops it, then level 2 and description 40).
    static let fatalAlert: [UInt8] = [21, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 2, 2, 40]

    /// Runs the call, sending each peer a fatal alert from `source` every 10 ms from the moment its
    /// ICE agent is connected until its DTLS handshake is done: the whole handshake under fire.
    private func handshakeUnderFire(seed: UInt64, from source: (_ simulation: PeerSimulation, _ target: Int) -> TransportAddress)
        throws -> (simulation: PeerSimulation, alerts: Int) {
        var simulation = try PeerSimulation(network: SimulatedNetwork(seed: seed), seed: seed)
        var alerts = 0
        let deadline = simulation.now + .seconds(10)
        while simulation.now < deadline, !simulation.bothConnected, simulation.failure(of: 0) == nil, simulation.failure(of: 1) == nil {
            simulation.run(for: .milliseconds(10)) { _ in false }
            for target in 0..<2 where simulation.peers[target].stats.iceState == .connected && !simulation.peers[target].isConnected {
                simulation.network.send(Self.fatalAlert, from: source(simulation, target), to: simulation.bases[target], now: simulation.now)
                alerts += 1
            }
        }
        return (simulation, alerts)
    }

    @Test("fatal DTLS alerts from a third address all through the handshake: it completes and media flows")
    func alertsFromAStranger() throws {
        let fired = try handshakeUnderFire(seed: 41) { _, _ in Self.stranger }
        var simulation = fired.simulation
        #expect(simulation.bothConnected, "\(simulation.failure(of: 0) ?? "") \(simulation.failure(of: 1) ?? "")")
        #expect(fired.alerts > 0)

        for sequence in 0..<10 as Range<UInt8> {
            try simulation.b.sendRTP([0x80, 96, 0, sequence, 0, 0, 0, sequence, 0xCA, 0xFE, 0xBA, 0xBE] + [UInt8](repeating: 7, count: 100))
        }
        #expect(simulation.run(for: .seconds(1)) { $0.a.stats.streams.first?.packetsReceived == 10 })
        // Every alert arrived (the last ones while media flowed) and was dropped, nothing else.
        #expect(simulation.a.stats.uncheckedSourceDrops + simulation.b.stats.uncheckedSourceDrops == fired.alerts)
    }

    @Test("the same alerts from the peer's own, checked address do break the handshake (what the check keeps out)")
    func alertsFromThePeersAddress() throws {
        let (simulation, alerts) = try handshakeUnderFire(seed: 41) { simulation, target in simulation.bases[1 - target] }
        #expect(alerts > 0)
        #expect(!simulation.bothConnected)
        #expect(simulation.failure(of: 0) != nil || simulation.failure(of: 1) != nil)
    }

    @Test("SRTP and SRTCP from an unchecked address are dropped and counted; the same packets from the peer are taken")
    func mediaFromAStranger() throws {
        var simulation = try PeerSimulation(network: SimulatedNetwork(seed: 42), seed: 42)
        #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
        let checked = simulation.bases[1], base = simulation.bases[0]

        try simulation.b.sendRTP([0x80, 96, 0, 1, 0, 0, 0, 1, 0xCA, 0xFE, 0xBA, 0xBE] + [UInt8](repeating: 7, count: 100))
        try simulation.b.sendRTCP([0x80, 201, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78])
        var media: [[UInt8]] = []
        for transmit in simulation.b.pollAll().transmits {
            if let first = transmit.bytes.first, (128...191).contains(first) { media.append(transmit.bytes) }
        }
        try #require(media.count == 2)
        let rtcpBefore = simulation.a.stats.rtcpPackets

        for var packet in media {
            packet.withUnsafeMutableBytes { simulation.a.receive($0, from: Self.stranger, on: base, now: simulation.now) }
        }
        #expect(simulation.a.stats.uncheckedSourceDrops == 2)
        #expect(simulation.a.stats.streams.isEmpty)
        #expect(simulation.a.stats.rtcpPackets == rtcpBefore)
        #expect(simulation.a.stats.authenticationFailures == 0, "dropped before SRTP looked at them")

        for var packet in media {
            packet.withUnsafeMutableBytes { simulation.a.receive($0, from: checked, on: base, now: simulation.now) }
        }
        #expect(simulation.a.stats.streams.first?.packetsReceived == 1)
        #expect(simulation.a.stats.rtcpPackets == rtcpBefore + 1)
        #expect(simulation.a.stats.uncheckedSourceDrops == 2)
    }
}
