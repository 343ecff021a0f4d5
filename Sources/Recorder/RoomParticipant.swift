import Foundation
import Logging
import NIOCore
import RTC
import RTCNIO

/// The bot's connection to one participant of the room: a `PeerConnection` running on its own
/// UDP sockets or the process's shared port, and, when recording, the participant's recorder on the recording's media thread,
/// fed by a `FrameFeed` on the connection's event loop.
final class RoomParticipant: Sendable {
    let id: String
    /// Tells this connection from the participant's earlier and later ones (`ParticipantEvent`).
    let connection: Int
    /// The name the participant gave at join, if any.
    let name: String?
    let driver: UDPEndpointDriver<PeerConnection>
    /// The recording's media thread and the participant's number there (nil: not recording).
    private let recorder: (recorders: ParticipantRecorders, index: Int)?
    /// The connection's frame feed, on its event loop (empty when not recording).
    private let feed: NIOLoopBoundBox<FrameFeed?>
    /// The connection's raw capture and the thread that writes it (nil: not capturing).
    private let capture: (thread: CaptureThread, file: CaptureFile)?

    private init(id: String, connection: Int, name: String?, driver: UDPEndpointDriver<PeerConnection>,
                 recorder: (recorders: ParticipantRecorders, index: Int)?, feed: NIOLoopBoundBox<FrameFeed?>,
                 capture: (thread: CaptureThread, file: CaptureFile)?) {
        self.id = id
        self.connection = connection
        self.name = name
        self.driver = driver
        self.recorder = recorder
        self.feed = feed
        self.capture = capture
    }

    /// Connects to participant `id`; what the connection says goes to `events` as it happens.
    static func start(id: String, connection: Int, name: String?, configuration: PeerConnectionConfiguration, addresses: [IPAddress],
                      sockets: PeerSockets, recorders: ParticipantRecorders? = nil,
                      events: AsyncStream<ParticipantEvent>.Continuation) async throws -> RoomParticipant {
        let eventLoop = sockets.eventLoop
        let seed = UInt64.random(in: .min ... .max)
        var recorder: (recorders: ParticipantRecorders, index: Int)?
        if let recorders {
            let identity = name ?? id
            recorder = (recorders, await recorders.thread.add { recorders.make(identity) })
        }
        let feeding = recorder
        var capture: (thread: CaptureThread, file: CaptureFile)?
        var tap: ConnectionCaptureTap?
        if let thread = recorders?.capture,
           let opened = thread.open(participant: name ?? id, id: id, name: name, start: Date().timeIntervalSince1970) {
            capture = (thread, opened.file)
            tap = opened.tap
        }
        let packetTap = tap
        let feedBox = try await eventLoop.submit { NIOLoopBoundBox<FrameFeed?>(nil, eventLoop: eventLoop) }.get()
        // Relay-only never pairs a host candidate, so it has no use for resolving mDNS names.
        let driver = try await UDPEndpointDriver.start(sockets, addresses: addresses,
                                                       listensForMulticastDNS: !configuration.ice.relayOnly,
                                                       onEvent: { peer, event in
            events.yield(ParticipantEvent(event, of: peer, participant: id, connection: connection))
        }) { bases in
            let peer = PeerConnection(configuration: configuration, seed: seed)
            peer.start(bases: bases, now: .now)
            peer.tap = packetTap
            if let feeding {
                // Frames are copied to the media thread here; nothing else of theirs runs on this loop.
                let feed = FrameFeed(thread: feeding.recorders.thread, participant: feeding.index)
                peer.onFrame = { frame, bytes in feed.offer(frame, bytes) }
                feedBox.value = feed
            }
            return peer
        }
        if let recorder {
            // The recorder's own requests (a transcoder lost its reference, a track waits for its
            // first keyframe) hop from the media thread to the connection's event loop.
            _ = await recorder.recorders.thread.withRecorder(recorder.index) { participant in
                let relay = KeyframeRequestRelay { mid in
                    driver.eventLoop.execute { driver.withEndpointOnEventLoop { $0.requestKeyframe(mid: mid, now: .now) } }
                }
                participant.requestKeyframe = { relay.request(mid: $0) }
            }
        }
        return RoomParticipant(id: id, connection: connection, name: name, driver: driver, recorder: recorder, feed: feedBox,
                               capture: capture)
    }

    /// The participant as things stand.
    func report(failure: String?) async -> ParticipantReport {
        let stats = try? await driver.withEndpoint { $0.stats }
        var recording: ParticipantRecording?
        if let recorder { recording = await recorder.recorders.thread.withRecorder(recorder.index) { ParticipantRecording($0) } }
        return Self.report(id: id, name: name, stats: stats, recording: recording, capture: capture?.file.report, failure: failure)
    }

    /// Closes the connection: what the pipeline still held is handed on, then the media thread
    /// writes what it was given and finishes the files. Returns the participant's final report.
    func close(failure: String?) async -> ParticipantReport {
        let feed = self.feed
        let stats = try? await driver.withEndpoint { peer in
            peer.close(now: .now)
            feed.value?.flushDropCounts()
            return peer.stats
        }
        await driver.close()
        var recording: ParticipantRecording?
        if let recorder { recording = await recorder.recorders.thread.finish(recorder.index) }
        var captured: RecordingManifest.Capture?
        if let capture { captured = await capture.thread.finish(capture.file) }
        return Self.report(id: id, name: name, stats: stats, recording: recording, capture: captured, failure: failure)
    }

    private static func report(id: String, name: String?, stats: PeerConnectionStats?, recording: ParticipantRecording?,
                               capture: RecordingManifest.Capture?, failure: String?) -> ParticipantReport {
        ParticipantReport(
            participant: id, name: name, connected: stats?.dtlsConnected ?? false, iceState: stats?.iceState.rawValue ?? "closed",
            srtpProfile: stats?.srtpProfile, selectedPair: stats?.selectedPair,
            localCandidates: stats?.localCandidates ?? [], remoteCandidates: stats?.remoteCandidates ?? [],
            candidatePairs: stats?.candidatePairs ?? [],
            streams: stats?.streams ?? [],
            rtcpPackets: stats?.rtcpPackets ?? 0, authenticationFailures: stats?.authenticationFailures ?? 0,
            replays: stats?.replays ?? 0, limitsReached: stats?.limitsReached ?? [:],
            uncheckedSourceDrops: stats?.uncheckedSourceDrops ?? 0, failure: failure, recording: recording, capture: capture)
    }
}
