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
actor SyntheticParticipant {
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
    private let connectionEvents: AsyncStream<ConnectionEvent>
    private let connectionEventSink: AsyncStream<ConnectionEvent>.Continuation
    private var id: String?
    private var connections: [String: PublishedConnection] = [:]
    private var failures: [String: String] = [:]
    private var departed: [PublishedConnectionReport] = []
    /// Candidates gathered before our offer or answer went out, held back until it has: a
    /// receiver may drop candidates for a description it has not seen (the connection's events
    /// arrive on their own task, and can overtake the description while it is being made).
    private var heldCandidates: [String: [ConnectionEvent]] = [:]
    private var described: Set<String> = []
    private var joinWaiters: [CheckedContinuation<Void, Never>] = []
    /// The callers of a plain relay room (nil: the server names its peers, or is not known yet).
    private var plainCallers: PlainRoomCallers?
    /// In a plain room, the connection our offer went to, until the first answer comes back.
    private var plainOfferAwaitingAnswer: String?

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
        guard id == nil, plainCallers == nil else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.releaseJoinWaiters()
        }
        await withCheckedContinuation { joinWaiters.append($0) }
        timer.cancel()
    }

    func report() async -> SyntheticParticipantReport {
        var reports = departed
        for (peerID, connection) in connections.sorted(by: { $0.key < $1.key }) {
            reports.append(await connection.report(failure: failures[peerID]))
        }
        return SyntheticParticipantReport(index: index, participant: id, connections: reports)
    }

    func close() async {
        for connection in connections.values {
            await environment.fanOut.remove(connection.driver)
            await connection.close()
        }
        connections.removeAll()
        connectionEventSink.finish()
    }

    private func releaseJoinWaiters() {
        for waiter in joinWaiters { waiter.resume() }
        joinWaiters.removeAll()
    }

    // MARK: Signaling

    private func handle(_ event: SignalingEvent) async {
        do {
            switch event {
            case .joined(let id, let peers, _, _):
                self.id = id
                plainCallers = nil
                environment.siblings.add(id)
                releaseJoinWaiters()
                logger.info("joined the room", metadata: ["id": "\(id)", "peers": "\(peers.count)"])
                for peer in peers where connections[peer] == nil && !environment.siblings.contains(peer) {
                    try await offer(to: peer)
                }
            case .enteredPlainRoom:
                let first = plainCallers == nil
                if first { plainCallers = PlainRoomCallers() }
                releaseJoinWaiters()
                logger.info("joined the room", metadata: ["plain": "true"])
                // Placing the call as the seeds' client does; again after a reconnect if nobody answered.
                if first || (connections.isEmpty && plainOfferAwaitingAnswer == nil), let callee = plainCallers?.call() {
                    plainOfferAwaitingAnswer = callee
                    try await offer(to: callee)
                }
            case .message(.offer(let description, let routing)):
                guard Self.wantsToReceive(description.sdp) else {
                    logger.debug("ignoring an offer that receives nothing", metadata: ["peer": "\(routing.from ?? "?")"])
                    return
                }
                guard let from = try routing.from ?? plainCaller(of: description) else { return }
                guard !environment.siblings.contains(from) else { return }
                let connection = try await connection(to: from)
                let answer = try await connection.driver.withEndpoint { try $0.answer(remoteOffer: description.sdp, now: .now) }
                try client.send(.answer(SessionDescription(type: "answer", sdp: answer), self.routing(to: from)))
                releaseCandidates(for: from)
            case .message(.answer(let description, let routing)):
                guard let from = routing.from ?? takePlainAnswer(description), let connection = connections[from] else { return }
                try await connection.driver.withEndpoint { try $0.setRemoteAnswer(description.sdp, now: .now) }
            case .message(.iceCandidate(let candidate, let routing)):
                guard let from = routing.from ?? plainCallers?.caller(of: candidate), let connection = connections[from] else {
                    return
                }
                try await connection.driver.withEndpoint { try $0.addRemoteCandidate(candidate?.candidate, now: .now) }
            case .message(.peerLeft(let peerID)):
                guard connections[peerID] != nil else { return }
                logger.info("receiver left", metadata: ["peer": "\(peerID)"])
                await end(peerID)
            case .message(.error(let reason)):
                logger.warning("signaling server refused a message", metadata: ["reason": "\(reason)"])
            case .disconnected(let reason):
                logger.warning("signaling connection lost", metadata: ["reason": "\(reason)"])
            case .message:
                break
            }
        } catch {
            logger.error("signaling message could not be applied", metadata: ["error": "\(error)"])
        }
    }

    /// In a plain room, the connection an offer is for (a new one for a new caller); nil elsewhere.
    private func plainCaller(of description: SessionDescription) throws -> String? {
        switch try plainCallers?.offer(description.sdp) {
        case .newCaller(let id), .renegotiation(let id): id
        case nil: nil
        }
    }

    /// The connection an answer in a plain room is for: the first answer to our offer.
    private func takePlainAnswer(_ description: SessionDescription) -> String? {
        guard let id = plainOfferAwaitingAnswer else { return nil }
        plainOfferAwaitingAnswer = nil
        plainCallers?.answered(id, sdp: description.sdp)
        return id
    }

    /// Where a message for `peerID` goes: to it, or in a plain room, which cannot address one
    /// peer, to the whole room.
    private func routing(to peerID: String) -> Routing {
        plainCallers == nil ? Routing(to: peerID) : Routing()
    }

    private func end(_ peerID: String) async {
        guard let connection = connections.removeValue(forKey: peerID) else { return }
        heldCandidates[peerID] = nil
        described.remove(peerID)
        plainCallers?.hangUp(peerID)
        if plainOfferAwaitingAnswer == peerID { plainOfferAwaitingAnswer = nil }
        await environment.fanOut.remove(connection.driver)
        departed.append(await connection.report(failure: failures[peerID]))
        await connection.close()
    }

    /// Trickles our candidates to the receiver and notes how the connection fares.
    private func handle(_ connectionEvent: ConnectionEvent) {
        let peerID = connectionEvent.peerID
        switch connectionEvent.event {
        case .localCandidate where !described.contains(peerID), .endOfCandidates where !described.contains(peerID):
            heldCandidates[peerID, default: []].append(connectionEvent)
        case .localCandidate(let candidate):
            try? client.send(.iceCandidate(
                IceCandidate(candidate: candidate.sdpValue, sdpMid: connectionEvent.mid, sdpMLineIndex: 0,
                             usernameFragment: connectionEvent.usernameFragment), routing(to: peerID)))
        case .endOfCandidates:
            try? client.send(.iceCandidate(nil, routing(to: peerID)))
        case .connected:
            logger.info("connected", metadata: ["peer": "\(peerID)"])
        case .failed(let reason):
            failures[peerID] = reason
            logger.error("connection failed", metadata: ["peer": "\(peerID)", "reason": "\(reason)"])
        case .iceStateChanged(let state, _):
            logger.debug("ICE state", metadata: ["peer": "\(peerID)", "state": "\(state.rawValue)"])
        case .closedByPeer:
            logger.info("receiver hung up", metadata: ["peer": "\(peerID)"])
            Task { await self.end(peerID) }
        case .keyframeRequested:
            break  // handled on the connection's event loop
        case .relayUnavailable(let reason):
            logger.warning("no TURN relay", metadata: ["peer": "\(peerID)", "reason": "\(reason)"])
        }
    }

    private func releaseCandidates(for peerID: String) {
        described.insert(peerID)
        for event in heldCandidates.removeValue(forKey: peerID) ?? [] { handle(event) }
    }

    private func offer(to peerID: String) async throws {
        let connection = try await connection(to: peerID)
        let offer = try await connection.driver.withEndpoint { $0.createOffer(now: .now) }
        try client.send(.offer(SessionDescription(type: "offer", sdp: offer), routing(to: peerID)))
        releaseCandidates(for: peerID)
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
