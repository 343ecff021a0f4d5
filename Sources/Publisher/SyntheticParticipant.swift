import Logging
import NIOCore
import PeerSession
import RTC
import RTCNIO
import Signaling

/// One synthetic participant: joins the room on its own signaling connection and sends the
/// shared test signal to every receiver there — offering (sendonly) to those present when it
/// joins, answering those who offer to it later (the recorder bot, a browser). In a plain relay
/// room (a server that names nobody) it places the call as the seeds' client does: it offers
/// once on joining, to the whole room, and takes the first answer. Signaling runs here; media
/// never leaves the connections' event loops.
actor SyntheticParticipant: NegotiatingRoom {
    /// Where the participant's connections run, and what they share.
    struct Environment: Sendable {
        var peerConfiguration: PeerConnectionConfiguration
        var addresses: [IPAddress]
        var source: TestSignalSource
        var fanOut: FrameFanOut
        var eventLoops: [any EventLoop]
        var siblings: SiblingRegistry
        /// The shared UDP port, or sockets of each connection's own.
        var udpPort: UDPPortChoice = .perPeer
    }

    /// A connection's event, tagged with the receiver it concerns.
    private struct ConnectionEvent: Sendable {
        var peerID: String
        var event: PeerConnectionEvent
        var mid: String
        var usernameFragment: String
    }

    let index: Int
    private let name: String
    private let environment: Environment
    private let logger: Logger
    private let client: SignalingClient
    /// Offers, answers and candidates with each receiver: we call the room when it is plain.
    var negotiation = RoomNegotiation(callsInPlainRoom: true)
    private let connectionEvents: AsyncStream<ConnectionEvent>
    private let connectionEventSink: AsyncStream<ConnectionEvent>.Continuation
    private var id: String?
    private var connections: [String: PublishedConnection] = [:]
    private var failures: [String: String] = [:]
    private var departed: [PublishedConnectionReport] = []
    private var joinWaiters: [CheckedContinuation<Void, Never>] = []

    init(index: Int, signaling: SignalingClientConfiguration, environment: Environment, logger: Logger) {
        self.index = index
        self.environment = environment
        var logger = logger
        logger[metadataKey: "publisher"] = "\(index)"
        self.logger = logger
        name = "tapedeck-publish-\(index)-\(UInt32.random(in: .min ... .max))"
        client = SignalingClient(configuration: signaling, logger: logger)
        (connectionEvents, connectionEventSink) = AsyncStream.makeStream(of: ConnectionEvent.self)
    }

    /// Stays in the room until cancelled.
    /// - Throws: the signaling client's error when the server refuses the join.
    func run() async throws {
        let client = self.client
        let connectionEvents = self.connectionEvents
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            group.addTask { for await event in client.events { await self.handle(event) } }
            group.addTask { for await event in connectionEvents { await self.handle(event) } }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Returns once the server has accepted the join (or turned out a plain room), or after `timeout`.
    func waitUntilJoined(timeout: Duration) async {
        guard id == nil, !negotiation.isPlainRoom else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.releaseJoinWaiters()
        }
        await withCheckedContinuation { joinWaiters.append($0) }
        timer.cancel()
    }

    /// Ends the participant's connections and reports it: the connections that ended earlier and
    /// every one still open, each closed as its figures are read.
    func closeAndReport() async -> SyntheticParticipantReport {
        var reports = departed
        for (peerID, connection) in connections.sorted(by: { $0.key < $1.key }) {
            await environment.fanOut.remove(connection.driver)
            reports.append(await connection.closeAndReport(failure: failures[peerID]))
        }
        connections.removeAll()
        connectionEventSink.finish()
        return SyntheticParticipantReport(index: index, participant: id, connections: reports)
    }

    private func releaseJoinWaiters() {
        for waiter in joinWaiters { waiter.resume() }
        joinWaiters.removeAll()
    }

    // MARK: Signaling

    private func handle(_ event: SignalingEvent) async {
        switch event {
        case .joined(let id, let peers, _, _):
            self.id = id
            environment.siblings.add(id)
            releaseJoinWaiters()
            logger.info("joined the room", metadata: ["id": "\(id)", "peers": "\(peers.count)"])
            await perform(negotiation.joined(id: id, peers: peers.filter { !isFellowBot($0) }))
        case .enteredPlainRoom:
            releaseJoinWaiters()
            logger.info("joined the room", metadata: ["plain": "true"])
            // Placing the call as the seeds' client does; again after a reconnect if nobody answered.
            await perform(negotiation.enteredPlainRoom())
        case .message(.offer(let description, let routing)) where !Self.wantsToReceive(description.sdp):
            logger.debug("ignoring an offer that receives nothing", metadata: ["peer": "\(routing.from ?? "?")"])
        case .message(let message) where await negotiate(message):
            break
        case .message(.peerLeft(let peerID)):
            if connections[peerID] != nil { logger.info("receiver left", metadata: ["peer": "\(peerID)"]) }
            await perform(negotiation.peerLeft(peerID))
        case .message(.error(let reason)):
            logger.warning("signaling server refused a message", metadata: ["reason": "\(reason)"])
        case .disconnected(let reason):
            logger.warning("signaling connection lost", metadata: ["reason": "\(reason)"])
            await perform(negotiation.disconnected())
        case .message:
            break
        }
    }

    private func end(_ peerID: String) async {
        negotiation.ended(peer: peerID)
        guard let connection = connections.removeValue(forKey: peerID) else { return }
        await environment.fanOut.remove(connection.driver)
        departed.append(await connection.closeAndReport(failure: failures[peerID]))
    }

    /// Trickles our candidates to the receiver and notes how the connection fares.
    private func handle(_ connectionEvent: ConnectionEvent) async {
        let peerID = connectionEvent.peerID
        switch connectionEvent.event {
        case .localCandidate(let candidate):
            await perform(negotiation.gathered(peer: peerID, candidate: IceCandidate(
                candidate: candidate.sdpValue, sdpMid: connectionEvent.mid, sdpMLineIndex: 0,
                usernameFragment: connectionEvent.usernameFragment)))
        case .endOfCandidates:
            await perform(negotiation.gathered(peer: peerID, candidate: nil))
        case .connected:
            negotiation.connectionUp(peer: peerID)
            logger.info("connected", metadata: ["peer": "\(peerID)"])
        case .failed(let reason):
            failures[peerID] = reason
            logger.error("connection failed", metadata: ["peer": "\(peerID)", "reason": "\(reason)"])
            await perform(negotiation.connectionFailed(peer: peerID))
        case .iceStateChanged(let state, _):
            logger.debug("ICE state", metadata: ["peer": "\(peerID)", "state": "\(state.rawValue)"])
            if state == .disconnected || state == .failed || state == .closed { negotiation.connectionDown(peer: peerID) }
        case .closedByPeer:
            logger.info("receiver hung up", metadata: ["peer": "\(peerID)"])
            await end(peerID)
        case .keyframeRequested:
            break  // handled on the connection's event loop
        case .relayUnavailable(let reason):
            logger.warning("no TURN relay", metadata: ["peer": "\(peerID)", "reason": "\(reason)"])
        }
    }

    // MARK: NegotiatingRoom

    var negotiationLogger: Logger { logger }
    var signalingClient: SignalingClient { client }

    func openConnection(to peer: String) async throws {
        _ = try await connection(to: peer)
    }

    func makeOffer(to peer: String) async throws -> String {
        guard let connection = connections[peer] else { throw NegotiationSkip() }
        return try await connection.driver.withEndpoint { $0.createOffer(now: .now) }
    }

    func answer(_ offer: String, from peer: String) async throws -> String {
        guard let connection = connections[peer] else { throw NegotiationSkip() }
        return try await connection.driver.withEndpoint { try $0.answer(remoteOffer: offer, now: .now) }
    }

    func applyAnswer(_ answer: String, from peer: String) async throws {
        guard let connection = connections[peer] else { throw NegotiationSkip() }
        try await connection.driver.withEndpoint { try $0.setRemoteAnswer(answer, now: .now) }
    }

    func applyCandidate(_ candidate: String?, from peer: String) async throws {
        guard let connection = connections[peer] else { throw NegotiationSkip() }
        try await connection.driver.withEndpoint { try $0.addRemoteCandidate(candidate, now: .now) }
    }

    func endConnection(to peer: String) async {
        await end(peer)
    }

    /// A fellow bot is another participant of this `tapedeck publish` run: they do not call each other.
    func isFellowBot(_ peer: String) -> Bool {
        environment.siblings.contains(peer)
    }

    private func connection(to peerID: String) async throws -> PublishedConnection {
        if let existing = connections[peerID] { return existing }
        let sink = connectionEventSink
        var sockets = environment.udpPort.sockets(for: environment.peerConfiguration.ice)
        if case .own = sockets {
            sockets = .own(environment.eventLoops[(index + connections.count + departed.count) % environment.eventLoops.count])
        }
        let connection = try await PublishedConnection.start(
            peerID: peerID, name: name, configuration: environment.peerConfiguration, addresses: environment.addresses,
            sockets: sockets, source: environment.source,
            notify: { event, mid, usernameFragment in
                sink.yield(ConnectionEvent(peerID: peerID, event: event, mid: mid, usernameFragment: usernameFragment))
            })
        connections[peerID] = connection
        environment.fanOut.add(connection.driver)
        return connection
    }

    /// Whether an offer has a media section in which the offerer receives: a publisher has
    /// nothing to say to one that only sends (another publisher).
    static func wantsToReceive(_ sdp: String) -> Bool {
        guard let offer = try? SDP.SessionDescription(parsing: sdp) else { return true }  // let the answer report the error
        return offer.media.contains { section in
            section.port != 0 && (section.kind == .audio || section.kind == .video)
                && offer.direction(for: section).receives
        }
    }
}
