import Logging
import NIOCore
import RTC
import RTCNIO
import Signaling

/// One synthetic participant: joins the room on its own signaling connection and sends the
/// shared test signal to every receiver there — offering (sendonly) to those present when it
/// joins, answering those who offer to it later (the recorder bot, a browser). Signaling runs
/// here; media never leaves the connections' event loops.
actor SyntheticParticipant {
    /// Where the participant's connections run, and what they share.
    struct Environment: Sendable {
        var peerConfiguration: PeerConnectionConfiguration
        var addresses: [IPAddress]
        var source: TestSignalSource
        var fanOut: FrameFanOut
        var eventLoops: [any EventLoop]
        var siblings: SiblingRegistry
    }

    /// A connection's event, tagged with the receiver it concerns.
    private struct ConnectionEvent: Sendable {
        var peerID: String
        var event: PeerConnectionEvent
        var mid: String
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

    /// Returns once the server has accepted the join, or after `timeout`.
    func waitUntilJoined(timeout: Duration) async {
        guard id == nil else { return }
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
            case .joined(let id, let peers, _):
                self.id = id
                environment.siblings.add(id)
                releaseJoinWaiters()
                logger.info("joined the room", metadata: ["id": "\(id)", "peers": "\(peers.count)"])
                for peer in peers where connections[peer] == nil && !environment.siblings.contains(peer) {
                    try await offer(to: peer)
                }
            case .message(.offer(let description, let routing)):
                guard let from = routing.from, !environment.siblings.contains(from) else { return }
                guard Self.wantsToReceive(description.sdp) else {
                    logger.debug("ignoring an offer that receives nothing", metadata: ["peer": "\(from)"])
                    return
                }
                let connection = try await connection(to: from)
                let answer = try await connection.driver.withEndpoint { try $0.answer(remoteOffer: description.sdp, now: .now) }
                try client.send(.answer(SessionDescription(type: "answer", sdp: answer), Routing(to: from)))
                releaseCandidates(for: from)
            case .message(.answer(let description, let routing)):
                guard let from = routing.from, let connection = connections[from] else { return }
                try await connection.driver.withEndpoint { try $0.setRemoteAnswer(description.sdp, now: .now) }
            case .message(.iceCandidate(let candidate, let routing)):
                guard let from = routing.from, let connection = connections[from] else { return }
                try await connection.driver.withEndpoint { try $0.addRemoteCandidate(candidate?.candidate, now: .now) }
            case .message(.peerLeft(let peerID)):
                guard let connection = connections.removeValue(forKey: peerID) else { return }
                heldCandidates[peerID] = nil
                described.remove(peerID)
                logger.info("receiver left", metadata: ["peer": "\(peerID)"])
                await environment.fanOut.remove(connection.driver)
                departed.append(await connection.report(failure: failures[peerID]))
                await connection.close()
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

    /// Trickles our candidates to the receiver and notes how the connection fares.
    private func handle(_ connectionEvent: ConnectionEvent) {
        let peerID = connectionEvent.peerID
        switch connectionEvent.event {
        case .localCandidate where !described.contains(peerID), .endOfCandidates where !described.contains(peerID):
            heldCandidates[peerID, default: []].append(connectionEvent)
        case .localCandidate(let candidate):
            try? client.send(.iceCandidate(
                IceCandidate(candidate: candidate.sdpValue, sdpMid: connectionEvent.mid, sdpMLineIndex: 0), Routing(to: peerID)))
        case .endOfCandidates:
            try? client.send(.iceCandidate(nil, Routing(to: peerID)))
        case .connected:
            logger.info("connected", metadata: ["peer": "\(peerID)"])
        case .failed(let reason):
            failures[peerID] = reason
            logger.error("connection failed", metadata: ["peer": "\(peerID)", "reason": "\(reason)"])
        case .iceStateChanged(let state, _):
            logger.debug("ICE state", metadata: ["peer": "\(peerID)", "state": "\(state.rawValue)"])
        case .keyframeRequested:
            break  // handled on the connection's event loop
        }
    }

    private func releaseCandidates(for peerID: String) {
        described.insert(peerID)
        for event in heldCandidates.removeValue(forKey: peerID) ?? [] { handle(event) }
    }

    private func offer(to peerID: String) async throws {
        let connection = try await connection(to: peerID)
        let offer = try await connection.driver.withEndpoint { $0.createOffer(now: .now) }
        try client.send(.offer(SessionDescription(type: "offer", sdp: offer), Routing(to: peerID)))
        releaseCandidates(for: peerID)
    }

    private func connection(to peerID: String) async throws -> PublishedConnection {
        if let existing = connections[peerID] { return existing }
        let sink = connectionEventSink
        let eventLoop = environment.eventLoops[(index + connections.count + departed.count) % environment.eventLoops.count]
        let connection = try await PublishedConnection.start(
            peerID: peerID, name: name, configuration: environment.peerConfiguration, addresses: environment.addresses,
            eventLoop: eventLoop, source: environment.source,
            notify: { event, mid in sink.yield(ConnectionEvent(peerID: peerID, event: event, mid: mid)) })
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
