import Foundation
import Logging
import NIOCore
import NIOPosix
import PeerSession
import RTC
import RTCNIO
import Signaling

/// The bot in one room: joins through the signaling server, answers each participant's offer
/// (or offers to receive from those already there when it arrives), and keeps one
/// `PeerConnection` per participant. Signaling and reporting run here; media never leaves the
/// participants' event loops.
///
/// Two kinds of server: a room server (`tapedeck signal`) names every peer, so each message
/// says whom it is from; a plain relay (the seeds' server) names nobody, so the bot answers
/// every offer it hears, one connection per caller (`PlainRoomCallers`), and never offers on
/// its own unless asked to: a caller already in a call would take the offer as a
/// renegotiation and break that call.
public actor RoomSession: NegotiatingRoom {
    private let configuration: RoomSessionConfiguration
    private let logger: Logger
    private let client: SignalingClient
    private let peerConfiguration: PeerConnectionConfiguration
    private let addresses: [IPAddress]
    private var participants: [String: RoomParticipant] = [:]
    /// Each participant's current connection, numbered from the moment it is opened (its first
    /// events may arrive before `start` returns): events of any other are stale.
    private var currentConnections: [String: Int] = [:]
    private var connectionsOpened = 0
    /// What the participants' connections say, pushed from their event loops as it happens.
    private let participantEvents: AsyncStream<ParticipantEvent>
    private let participantEventSink: AsyncStream<ParticipantEvent>.Continuation
    private var failures: [String: String] = [:]
    private var departed: [ParticipantReport] = []
    /// The names participants gave at join, by id: a participant's identity across reconnects.
    private var names: [String: String] = [:]
    /// The peers whose room token grants recording, on a server that says (nil: it does not).
    private var recorderGrants: Set<String>?
    /// Where each participant who joins is recorded (nil: `tapedeck join`, which records nothing).
    private let recorders: ParticipantRecorders?
    /// Offers, answers and candidates with each participant; in a plain room, its callers.
    package var negotiation: RoomNegotiation
    /// Participants whose connection came up at least once (DTLS and SRTP): ICE coming back
    /// after a disconnection brings them back up.
    private var established: Set<String> = []
    /// The server let the bot in (`joined`, or a plain relay room entered) at least once.
    private(set) var hasJoined = false
    /// Before the first join: connection attempts that failed, and why the last one did.
    private var failedJoinAttempts = 0
    private var lastJoinFailure: String?

    public init(configuration: RoomSessionConfiguration, logger: Logger = Logger(label: "tapedeck.room")) throws {
        try self.init(configuration: configuration, logger: logger, recorders: nil)
    }

    init(configuration: RoomSessionConfiguration, logger: Logger,
         recorders: ParticipantRecorders?) throws {
        self.recorders = recorders
        self.configuration = configuration
        (participantEvents, participantEventSink) = AsyncStream.makeStream(of: ParticipantEvent.self)
        negotiation = RoomNegotiation(callsInPlainRoom: configuration.offersInPlainRoom)
        self.logger = logger
        client = SignalingClient(configuration: configuration.signaling, logger: logger)
        var peerConfiguration = PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: Int64(Date().timeIntervalSince1970)))
        peerConfiguration.ice = configuration.network.ice
        peerConfiguration.codecs = configuration.codecs
        self.peerConfiguration = peerConfiguration
        addresses = try LocalInterfaces.addresses(includeLoopback: configuration.network.includeLoopback)
    }

    /// Stays in the room for `duration` (or until cancelled) and reports every participant seen.
    /// - Throws: the signaling client's error when the server refuses the join; `RoomJoinTimeout`
    ///   when the bot is not in the room within `joinTimeout`.
    /// Cancelling the calling task ends the stay the same way: files are finished and the
    /// reports returned.
    public func run(for duration: Duration?) async throws -> [ParticipantReport] {
        let client = self.client
        do {
            try await stay(client: client, duration: duration)
        } catch where error is CancellationError || Task.isCancelled {
            // Asked to leave (the signaling client may report its cancelled connection as its
            // own error): close everyone below, as at the end of the duration.
        }
        var reports = departed
        for (id, participant) in participants.sorted(by: { $0.key < $1.key }) {
            reports.append(withSignalingDrops(await participant.close(failure: failures[id])))
        }
        participants.removeAll()
        // Nobody listens any more: what closing the connections said is not kept.
        participantEventSink.finish()
        return reports
    }

    /// Each task of the stay says whether its ending ends the stay: the join watcher's does not
    /// once the bot is in.
    private enum StayTaskEnd { case endsStay, carriesOn }

    private func stay(client: SignalingClient, duration: Duration?) async throws {
        // The client runs apart, awaited only while the stay lasts: a connect to a server that
        // drops packets does not end at cancellation, and must not hold the join timeout up.
        let connection = Task { try await client.run() }
        try await withThrowingTaskGroup(of: StayTaskEnd.self) { group in
            group.addTask {
                try await connection.valueUnlessCancelled()
                return .endsStay
            }
            group.addTask {
                for await event in client.events { await self.handle(event) }
                // The events end because the client's run ended: its outcome (a refused join, a
                // bad URL) is the session's. Ending here could win the race against it and turn
                // a refusal into an empty recording.
                return .carriesOn
            }
            group.addTask {
                for await event in self.participantEvents { await self.handle(event) }
                return .carriesOn
            }
            group.addTask {
                if let duration { try await Task.sleep(for: duration) } else { try await Task.sleep(for: .seconds(86_400 * 365)) }
                return .endsStay
            }
            if let joinTimeout = configuration.joinTimeout {
                group.addTask {
                    try await Task.sleep(for: joinTimeout)
                    if let timedOut = await self.joinTimeout(after: joinTimeout) { throw timedOut }
                    return .carriesOn
                }
            }
            defer { group.cancelAll() }
            while let end = try await group.next(), end == .carriesOn {}
        }
    }

    /// The error that ends the session when the bot is still not in the room after `timeout`.
    private func joinTimeout(after timeout: Duration) -> RoomJoinTimeout? {
        guard !hasJoined else { return nil }
        return RoomJoinTimeout(room: configuration.signaling.room, url: configuration.signaling.url, timeout: timeout,
                               lastFailure: lastJoinFailure, failedAttempts: failedJoinAttempts)
    }

    /// Participants turned away at `maximumParticipants` (distinct ids, up to 10,000).
    private(set) var refusedParticipants: Set<String> = []

    /// What the session's limits kept out, for the manifest's errors.
    var limitNotes: [String] {
        var notes: [String] = []
        if !refusedParticipants.isEmpty {
            notes.append("\(refusedParticipants.count) participant(s) not recorded: the limit of \(configuration.maximumParticipants) participants per recording was reached")
        }
        // A plain relay names no sender, so its drops belong to nobody's connection.
        if let dropped = client.droppedMessages[""] {
            notes.append("\(dropped) signaling message(s) dropped: the room relayed them faster than they could be applied")
        }
        return notes
    }

    /// Every participant seen so far, as things stand: those who left, then those present.
    func snapshot() async -> [ParticipantReport] {
        var reports = departed
        for (id, participant) in participants.sorted(by: { $0.key < $1.key }) {
            reports.append(withSignalingDrops(await participant.report(failure: failures[id])))
        }
        return reports
    }

    /// How many participants are in the room now: those the server lists, or in a plain room,
    /// those connected.
    var participantCount: Int { negotiation.isPlainRoom ? negotiation.connected.count : participants.count }

    private func handle(_ event: SignalingEvent) async {
        switch event {
        case .joined(let id, let peers, let names, let recorders):
            hasJoined = true
            self.names.merge(names) { _, new in new }
            recorderGrants = recorders.map(Set.init)
            logger.info("joined the room", metadata: ["id": "\(id)", "participants": "\(peers.count)"])
            await perform(negotiation.joined(id: id, peers: peers.filter { !isFellowBot($0) }))
        case .enteredPlainRoom:
            hasJoined = true
            logger.info("joined the room", metadata: ["plain": "true", "offers": "\(configuration.offersInPlainRoom)"])
            await perform(negotiation.enteredPlainRoom())
        case .message(let message) where await negotiate(message):
            break
        case .message(.peerJoined(let id, let name, let recorder)):
            if let name { names[id] = name }
            if recorder == true { recorderGrants?.insert(id) }
        case .message(.peerLeft(let id)):
            if participants[id] != nil { logger.info("participant left", metadata: ["participant": "\(id)"]) }
            await perform(negotiation.peerLeft(id))
        case .message(.error(let reason)):
            logger.warning("signaling server refused a message", metadata: ["reason": "\(reason)"])
        case .disconnected(let reason):
            if !hasJoined {
                failedJoinAttempts += 1
                lastJoinFailure = reason
            }
            logger.warning("signaling connection lost", metadata: ["reason": "\(reason)"])
            await perform(negotiation.disconnected())
        case .message:
            break
        }
    }

    /// The participant's connection is over: its files are finished and its report kept.
    private func end(_ id: String) async {
        negotiation.ended(peer: id)
        established.remove(id)
        currentConnections[id] = nil
        guard let participant = participants.removeValue(forKey: id) else { return }
        departed.append(withSignalingDrops(await participant.close(failure: failures[id])))
    }

    /// A participant's report counting the signaling messages of theirs that the client dropped
    /// (`SignalingClientConfiguration.maxWaitingMessagesPerSender`) beside the connection's limits.
    private func withSignalingDrops(_ report: ParticipantReport) -> ParticipantReport {
        guard let dropped = client.droppedMessages[report.participant] else { return report }
        var report = report
        report.limitsReached["signalingMessages"] = dropped
        return report
    }

    /// A fellow bot is another recorder, one that gave the name this one gave: two recorders of one room
    /// (say a WebM and an MP4 job) have nothing to send each other, so neither negotiates, and
    /// neither lists the other as a participant.
    ///
    /// A server that checks signed room tokens says who holds the grant to record; there the
    /// grant decides and names do not (a participant calling itself `tapedeck-recorder` is
    /// recorded). Elsewhere names are all there is.
    package func isFellowBot(_ id: String) -> Bool {
        if let recorderGrants { return recorderGrants.contains(id) }
        guard let own = configuration.signaling.name else { return false }
        return names[id] == own
    }

    private func participant(_ id: String) async throws -> RoomParticipant {
        if let existing = participants[id] { return existing }
        guard participants.count < configuration.maximumParticipants else {
            if refusedParticipants.count < 10_000, refusedParticipants.insert(id).inserted {
                logger.warning("not recording a participant: the session is at its limit",
                               metadata: ["participant": "\(id)", "limit": "\(configuration.maximumParticipants)"])
            }
            throw ParticipantLimitReached(limit: configuration.maximumParticipants)
        }
        connectionsOpened += 1
        let connection = connectionsOpened
        currentConnections[id] = connection
        let participant = try await RoomParticipant.start(id: id, connection: connection, name: names[id], configuration: peerConfiguration,
                                                          addresses: addresses,
                                                          sockets: configuration.network.udpPort.sockets(for: configuration.network.ice,
                                                                                                     passiveTCPPort: configuration.network.passiveTCPPort),
                                                          recorders: recorders, events: participantEventSink)
        if let reason = participant.driver.multicastDNSUnavailable, !configuration.network.ice.relayOnly {
            logger.notice("mDNS candidates cannot be resolved; the participant's checks must reveal its address",
                          metadata: ["participant": "\(id)", "reason": "\(reason)"])
        }
        participants[id] = participant
        return participant
    }

    // MARK: NegotiatingRoom

    package var negotiationLogger: Logger { logger }
    package var signalingClient: SignalingClient { client }

    package func openConnection(to peer: String) async throws {
        do {
            _ = try await participant(peer)
        } catch is ParticipantLimitReached {
            throw NegotiationSkip()  // said once per participant where it was refused; counted in the manifest
        }
        if negotiation.isPlainRoom { logger.info("a caller offered", metadata: ["participant": "\(peer)"]) }
    }

    package func makeOffer(to peer: String) async throws -> String {
        guard let participant = participants[peer] else { throw NegotiationSkip() }
        return try await participant.driver.withEndpoint { $0.createReceiveOnlyOffer(now: .now) }
    }

    package func answer(_ offer: String, from peer: String) async throws -> String {
        guard let participant = participants[peer] else { throw NegotiationSkip() }
        return try await participant.driver.withEndpoint { try $0.answer(remoteOffer: offer, now: .now) }
    }

    package func applyAnswer(_ answer: String, from peer: String) async throws {
        guard let participant = participants[peer] else { throw NegotiationSkip() }
        try await participant.driver.withEndpoint { try $0.setRemoteAnswer(answer, now: .now) }
    }

    package func applyCandidate(_ candidate: String?, from peer: String) async throws {
        guard let participant = participants[peer] else { throw NegotiationSkip() }
        try await participant.driver.withEndpoint { try $0.addRemoteCandidate(candidate, now: .now) }
    }

    package func endConnection(to peer: String) async {
        await end(peer)
    }

    /// Trickles our candidates to the participant and follows how their connection fares.
    private func handle(_ participantEvent: ParticipantEvent) async {
        let id = participantEvent.participant
        guard currentConnections[id] == participantEvent.connection else { return }
        let (mid, usernameFragment) = (participantEvent.mid, participantEvent.usernameFragment)
        switch participantEvent.event {
        case .localCandidate(let candidate):
            await perform(negotiation.gathered(peer: id, candidate: IceCandidate(
                candidate: candidate.sdpValue, sdpMid: mid, sdpMLineIndex: 0, usernameFragment: usernameFragment)))
        case .endOfCandidates:
            await perform(negotiation.gathered(peer: id, candidate: nil))
        case .connected:
            negotiation.connectionUp(peer: id)
            established.insert(id)
            logger.info("connected", metadata: ["participant": "\(id)"])
        case .failed(let reason):
            failures[id] = reason
            logger.error("connection failed", metadata: ["participant": "\(id)", "reason": "\(reason)"])
            // Nobody says a plain room's caller left: a failed connection is how it shows.
            await perform(negotiation.connectionFailed(peer: id))
        case .closedByPeer:
            logger.info("participant hung up", metadata: ["participant": "\(id)"])
            await end(id)
        case .iceStateChanged(let state, _):
            logger.debug("ICE state", metadata: ["participant": "\(id)", "state": "\(state.rawValue)"])
            switch state {
            case .disconnected, .failed, .closed: negotiation.connectionDown(peer: id)
            case .connected where established.contains(id): negotiation.connectionUp(peer: id)
            default: break
            }
        case .keyframeRequested:
            break  // the bot sends no media
        case .relayUnavailable(let reason):
            logger.warning("no TURN relay", metadata: ["participant": "\(id)", "reason": "\(reason)"])
        }
    }
}
