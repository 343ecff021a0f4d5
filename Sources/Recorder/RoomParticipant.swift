import Logging
import NIOCore
import RTC
import RTCNIO

/// The bot's connection to one participant of the room: a `PeerConnection` running on its own
/// UDP sockets.
final class RoomParticipant: Sendable {
    let id: String
    let driver: UDPEndpointDriver<PeerConnection>

    private init(id: String, driver: UDPEndpointDriver<PeerConnection>) {
        self.id = id
        self.driver = driver
    }

    static func start(id: String, configuration: PeerConnectionConfiguration, addresses: [IPAddress],
                      eventLoop: any EventLoop) async throws -> RoomParticipant {
        let seed = UInt64.random(in: .min ... .max)
        // Relay-only never pairs a host candidate, so it has no use for resolving mDNS names.
        let driver = try await UDPEndpointDriver.start(addresses: addresses, eventLoop: eventLoop,
                                                       listensForMulticastDNS: !configuration.ice.relayOnly) { bases in
            let peer = PeerConnection(configuration: configuration, seed: seed)
            peer.start(bases: bases, now: .now)
            return peer
        }
        return RoomParticipant(id: id, driver: driver)
    }

    /// Events the peer connection produced since the last call, with the mid to trickle
    /// candidates under.
    func takeEvents() async throws -> (events: [PeerConnectionEvent], mid: String) {
        try await driver.withEndpoint { peer in
            var events: [PeerConnectionEvent] = []
            while let event = peer.pollEvent() { events.append(event) }
            let negotiation = peer.negotiatedSession
            return (events, negotiation?.bundleMids.first ?? negotiation?.media.first?.mid ?? "0")
        }
    }

    func report(failure: String?) async -> ParticipantReport {
        let stats = try? await driver.withEndpoint { $0.stats }
        return ParticipantReport(
            participant: id, connected: stats?.dtlsConnected ?? false, iceState: stats?.iceState.rawValue ?? "closed",
            srtpProfile: stats?.srtpProfile, selectedPair: stats?.selectedPair,
            localCandidates: stats?.localCandidates ?? [], remoteCandidates: stats?.remoteCandidates ?? [],
            candidatePairs: stats?.candidatePairs ?? [],
            streams: stats?.streams ?? [],
            rtcpPackets: stats?.rtcpPackets ?? 0, authenticationFailures: stats?.authenticationFailures ?? 0,
            replays: stats?.replays ?? 0, failure: failure)
    }

    func close() async {
        _ = try? await driver.withEndpoint { $0.close(now: .now) }
        await driver.close()
    }
}
