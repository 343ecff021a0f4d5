import NIOCore
import RTC
import RTCNIO

/// A synthetic participant's connection to one receiver: a `PublishingPeer` running on its own
/// UDP sockets or the shared port, on one of the fan-out's event loops.
final class PublishedConnection: Sendable {
    let peerID: String
    let driver: UDPEndpointDriver<PublishingPeer>

    private init(peerID: String, driver: UDPEndpointDriver<PublishingPeer>) {
        self.peerID = peerID
        self.driver = driver
    }

    /// - Parameters:
    ///   - name: the participant's CNAME and msid stream id.
    ///   - notify: receives the connection's signaling events, with the mid to trickle under and
    ///     our ICE username fragment.
    static func start(peerID: String, name: String, configuration: PeerConnectionConfiguration, addresses: [IPAddress],
                      sockets: PeerSockets, source: TestSignalSource,
                      notify: @escaping @Sendable (PeerConnectionEvent, String, String) -> Void) async throws -> PublishedConnection {
        let seed = UInt64.random(in: .min ... .max)
        let driver = try await UDPEndpointDriver.start(sockets, addresses: addresses,
                                                       listensForMulticastDNS: !configuration.ice.relayOnly,
                                                       onEvent: { $0.relay($1) }) { bases in
            let peer = PublishingPeer(configuration: configuration, seed: seed, name: name,
                                      onKeyframeRequest: { source.requestKeyframe() }, notify: notify)
            peer.peer.start(bases: bases, now: .now)
            return peer
        }
        return PublishedConnection(peerID: peerID, driver: driver)
    }

    /// Closes the connection and reports it as it ended. Its figures are read and the connection
    /// closed in the same turn of its event loop: a timer firing in between would send another
    /// sender report, which a receiver still reading counts and this report would miss.
    func closeAndReport(failure: String?) async -> PublishedConnectionReport {
        let snapshot = try? await driver.withEndpoint { peer in
            let stats = peer.peer.stats
            let streams = peer.streamStatistics.map { track, configuration, statistics in
                PublishedStreamReport(
                    kind: track.kind.description, ssrc: configuration.ssrc, rtxSSRC: configuration.rtxSSRC,
                    payloadType: configuration.payloadType, packetsSent: statistics.packetsSent,
                    framesSent: statistics.framesSent, bytesSent: statistics.payloadBytesSent, nacksReceived: statistics.nacksReceived,
                    retransmissionsSent: statistics.retransmissionsSent, retransmissionsMissed: statistics.retransmissionsMissed,
                    keyframeRequestsReceived: statistics.keyframeRequestsReceived, senderReportsSent: statistics.senderReportsSent,
                    receiverReportsReceived: statistics.receiverReports,
                    fractionLost: statistics.lastReportBlock.map { Double($0.fractionLost) / 256 })
            }
            peer.close(now: .now)
            return (stats, streams)
        }
        await driver.close()
        return PublishedConnectionReport(
            peer: peerID, connected: snapshot?.0.dtlsConnected ?? false, iceState: snapshot?.0.iceState.rawValue ?? "closed",
            selectedPair: snapshot?.0.selectedPair, localCandidates: snapshot?.0.localCandidates ?? [],
            remoteCandidates: snapshot?.0.remoteCandidates ?? [], srtpProfile: snapshot?.0.srtpProfile, failure: failure,
            streams: snapshot?.1 ?? [])
    }
}
