import RTC
import RTCNIO

/// One connection of a synthetic participant to one receiver: a `PeerConnection` configured to
/// send, the tracks it declares (random SSRCs), and the streams the negotiation set up, each
/// with its own random RTP timestamp base. The driver runs it on its event loop; the fan-out
/// hands it each batch of frames there, and it sends them once connected.
///
/// Events the connection produces go out through `notify` (signaling: candidates, state) as the
/// driver services it, except keyframe requests, which go straight to the shared encoder
/// through `onKeyframeRequest`.
final class PublishingPeer: SharedPortEndpoint {
    private struct Outbound {
        let stream: OutboundStream
        let timestampBase: UInt32
    }

    let peer: PeerConnection
    let tracks: [SDP.OutboundTrack]
    private let onKeyframeRequest: @Sendable () -> Void
    private let notify: @Sendable (PeerConnectionEvent, _ mid: String, _ usernameFragment: String) -> Void
    private var audio: Outbound?
    private var video: Outbound?
    /// Video waits for a keyframe: a receiver can decode nothing before one.
    private var videoStarted = false
    private var random: SeededRandom

    init(configuration: PeerConnectionConfiguration, seed: UInt64, name: String,
         onKeyframeRequest: @escaping @Sendable () -> Void,
         notify: @escaping @Sendable (PeerConnectionEvent, _ mid: String, _ usernameFragment: String) -> Void) {
        random = SeededRandom(seed: seed)
        peer = PeerConnection(configuration: configuration, seed: random.next())
        let msid = { (track: String) in SDP.MSID(streamID: name, trackID: "\(name)-\(track)") }
        tracks = [
            SDP.OutboundTrack(kind: .audio, ssrc: UInt32(truncatingIfNeeded: random.next()), cname: name, msid: msid("audio")),
            SDP.OutboundTrack(kind: .video, ssrc: UInt32(truncatingIfNeeded: random.next()),
                              retransmissionSSRC: UInt32(truncatingIfNeeded: random.next()), cname: name, msid: msid("video")),
        ]
        self.onKeyframeRequest = onKeyframeRequest
        self.notify = notify
    }

    // MARK: Signaling

    func createOffer(now: ContinuousClock.Instant) -> String {
        return peer.createSendOffer(tracks: tracks, now: now)
    }

    func setRemoteAnswer(_ sdp: String, now: ContinuousClock.Instant) throws(PeerConnectionError) {
        try peer.setRemoteAnswer(sdp, now: now)
        setUpStreams(now: now)
    }

    func answer(remoteOffer sdp: String, now: ContinuousClock.Instant) throws(PeerConnectionError) -> String {
        let answer = try peer.answer(remoteOffer: sdp, sending: tracks, now: now)
        setUpStreams(now: now)
        return answer
    }

    func addRemoteCandidate(_ candidate: String?, now: ContinuousClock.Instant) throws(PeerConnectionError) {
        try peer.addRemoteCandidate(candidate, now: now)
    }

    // MARK: Media

    /// Sends a batch of frames (already on this connection's event loop): each payload becomes
    /// the next RTP packet of its stream, stamped with this connection's timestamp base.
    func send(_ frames: [PacketizedFrame]) {
        guard peer.isConnected else { return }
        for frame in frames {
            guard let outbound = frame.kind == .video ? video : audio else { continue }
            if frame.kind == .video, !videoStarted {
                guard frame.isKeyframe else { continue }
                videoStarted = true
            }
            let timestamp = outbound.timestampBase &+ UInt32(truncatingIfNeeded: frame.timestamp)
            for (index, payload) in frame.payloads.enumerated() {
                // The marker ends a video frame (RFC 7741 §4.1); audio flows without talkspurts.
                let marker = frame.kind == .video && index == frame.payloads.count - 1
                payload.withUnsafeBytes { bytes in
                    try? peer.send(payload: bytes, marker: marker, rtpTimestamp: timestamp, audioLevel: frame.audioLevel,
                                   on: outbound.stream, now: frame.capturedAt)
                }
            }
        }
    }

    private func setUpStreams(now: ContinuousClock.Instant) {
        guard audio == nil, video == nil else { return }
        for stream in peer.makeOutboundStreams(now: now) {
            let outbound = Outbound(stream: stream, timestampBase: UInt32(truncatingIfNeeded: random.next()))
            if stream.configuration.ssrc == tracks[0].ssrc { audio = outbound } else { video = outbound }
        }
    }

    /// Passes on what the connection has to say; the driver hands over each event as it polls the
    /// connection (`onEvent`), so events go out as they happen. A receiver that just connected
    /// gets a keyframe at once rather than waiting for its own request.
    func relay(_ event: PeerConnectionEvent) {
        switch event {
        case .keyframeRequested:
            onKeyframeRequest()
        case .connected:
            onKeyframeRequest()
            notify(event, peer.trickleMid, peer.localUsernameFragment)
        default:
            notify(event, peer.trickleMid, peer.localUsernameFragment)
        }
    }

    // MARK: Reporting

    var streamStatistics: [(track: SDP.OutboundTrack, configuration: OutboundStream.Configuration, statistics: OutboundStream.Statistics)] {
        [audio, video].compactMap { outbound in
            guard let outbound, let track = tracks.first(where: { $0.ssrc == outbound.stream.configuration.ssrc }) else { return nil }
            return (track, outbound.stream.configuration, outbound.stream.statistics)
        }
    }

    func close(now: ContinuousClock.Instant) {
        peer.close(now: now)
    }

    // MARK: DatagramEndpoint

    var localUsernameFragment: String { peer.localUsernameFragment }

    func receive(_ datagram: UnsafeMutableRawBufferPointer, from source: TransportAddress, on base: TransportAddress,
                 now: ContinuousClock.Instant) {
        peer.receive(datagram, from: source, on: base, now: now)
    }

    func receiveMulticastDNS(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, now: ContinuousClock.Instant) {
        peer.receiveMulticastDNS(datagram, from: source, now: now)
    }

    func receive(turnMessage: UnsafeRawBufferPointer, from server: TransportAddress, over transport: TurnTransport,
                 on base: TransportAddress, now: ContinuousClock.Instant) {
        peer.receive(turnMessage: turnMessage, from: server, over: transport, on: base, now: now)
    }

    func turnConnectionClosed(to server: TransportAddress, over transport: TurnTransport, on base: TransportAddress,
                              reason: String, now: ContinuousClock.Instant) {
        peer.turnConnectionClosed(to: server, over: transport, on: base, reason: reason, now: now)
    }

    func handleTimeout(now: ContinuousClock.Instant) { peer.handleTimeout(now: now) }

    func poll() -> EndpointOutput<PeerConnectionEvent> { peer.poll() }
}
