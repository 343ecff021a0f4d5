import Logging
import NIOCore
import RTC
import RTCNIO

/// The bot's connection to one participant of the room: a `PeerConnection` running on its own
/// UDP sockets.
final class RoomParticipant: Sendable {
    let id: String
    /// The name the participant gave at join, if any.
    let name: String?
    let driver: UDPEndpointDriver<PeerConnection>
    /// Writes the participant's frames to files, on the driver's event loop (nil: not recording).
    private let recorder: NIOLoopBound<ParticipantRecorder>?

    private init(id: String, name: String?, driver: UDPEndpointDriver<PeerConnection>, recorder: NIOLoopBound<ParticipantRecorder>?) {
        self.id = id
        self.name = name
        self.driver = driver
        self.recorder = recorder
    }

    /// `makeRecorder` is given the participant's identity: their name, or their id without one.
    static func start(id: String, name: String?, configuration: PeerConnectionConfiguration, addresses: [IPAddress],
                      eventLoop: any EventLoop,
                      makeRecorder: (@Sendable (String) -> ParticipantRecorder)? = nil) async throws -> RoomParticipant {
        let seed = UInt64.random(in: .min ... .max)
        var recorder: NIOLoopBound<ParticipantRecorder>?
        if let makeRecorder {
            recorder = try await eventLoop.submit { NIOLoopBound(makeRecorder(name ?? id), eventLoop: eventLoop) }.get()
        }
        let boundRecorder = recorder
        // Relay-only never pairs a host candidate, so it has no use for resolving mDNS names.
        let driver = try await UDPEndpointDriver.start(addresses: addresses, eventLoop: eventLoop,
                                                       listensForMulticastDNS: !configuration.ice.relayOnly) { bases in
            let peer = PeerConnection(configuration: configuration, seed: seed)
            peer.start(bases: bases, now: .now)
            if let recorder = boundRecorder {
                // Frames go from the depacketizer to the file on this event loop.
                peer.onFrame = { frame, bytes in recorder.value.receive(frame, bytes) }
                recorder.value.requestKeyframe = { [unowned peer] mid in peer.requestKeyframe(mid: mid, now: .now) }
            }
            return peer
        }
        return RoomParticipant(id: id, name: name, driver: driver, recorder: recorder)
    }

    /// Events the peer connection produced since the last call, with the mid to trickle
    /// candidates under and our ICE username fragment, which they carry.
    func takeEvents() async throws -> (events: [PeerConnectionEvent], mid: String, usernameFragment: String) {
        try await driver.withEndpoint { peer in
            var events: [PeerConnectionEvent] = []
            while let event = peer.pollEvent() { events.append(event) }
            let negotiation = peer.negotiatedSession
            return (events, negotiation?.bundleMids.first ?? negotiation?.media.first?.mid ?? "0", peer.localUsernameFragment)
        }
    }

    /// The participant as things stand.
    func report(failure: String?) async -> ParticipantReport {
        let recorder = self.recorder
        let state = try? await driver.withEndpoint { peer in
            (peer.stats, recorder.map { ParticipantRecording($0.value) })
        }
        return Self.report(id: id, name: name, stats: state?.0, recording: state?.1, failure: failure)
    }

    /// Closes the connection: what the pipeline still held is written and the files finished.
    /// Returns the participant's final report.
    func close(failure: String?) async -> ParticipantReport {
        let recorder = self.recorder
        let state = try? await driver.withEndpoint { peer in
            peer.close(now: .now)
            recorder?.value.finish()
            return (peer.stats, recorder.map { ParticipantRecording($0.value) })
        }
        await driver.close()
        return Self.report(id: id, name: name, stats: state?.0, recording: state?.1, failure: failure)
    }

    private static func report(id: String, name: String?, stats: PeerConnectionStats?, recording: ParticipantRecording?,
                               failure: String?) -> ParticipantReport {
        ParticipantReport(
            participant: id, name: name, connected: stats?.dtlsConnected ?? false, iceState: stats?.iceState.rawValue ?? "closed",
            srtpProfile: stats?.srtpProfile, selectedPair: stats?.selectedPair,
            localCandidates: stats?.localCandidates ?? [], remoteCandidates: stats?.remoteCandidates ?? [],
            candidatePairs: stats?.candidatePairs ?? [],
            streams: stats?.streams ?? [],
            rtcpPackets: stats?.rtcpPackets ?? 0, authenticationFailures: stats?.authenticationFailures ?? 0,
            replays: stats?.replays ?? 0, failure: failure, recording: recording)
    }
}
