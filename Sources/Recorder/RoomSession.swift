import Foundation
import Logging
import NIOCore
import NIOPosix
import RTC
import RTCNIO
import Signaling

/// The bot in one room: joins through the signaling server, answers each participant's offer
/// (or offers to receive from those already there when it arrives), and keeps one
/// `PeerConnection` per participant. Signaling and reporting run here; media never leaves the
/// participants' event loops.
public actor RoomSession {
    private let configuration: RoomSessionConfiguration
    private let logger: Logger
    private let client: SignalingClient
    private let peerConfiguration: PeerConnectionConfiguration
    private let addresses: [IPAddress]
    private var participants: [String: RoomParticipant] = [:]
    private var failures: [String: String] = [:]
    private var departed: [ParticipantReport] = []
    /// The names participants gave at join, by id: a participant's identity across reconnects.
    private var names: [String: String] = [:]
    /// Makes the recorder of each participant who joins (nil: `tapedeck join`, which records nothing).
    private let makeRecorder: (@Sendable (String) -> ParticipantRecorder)?

    public init(configuration: RoomSessionConfiguration, logger: Logger = Logger(label: "tapedeck.room")) throws {
        try self.init(configuration: configuration, logger: logger, makeRecorder: nil)
    }

    init(configuration: RoomSessionConfiguration, logger: Logger,
         makeRecorder: (@Sendable (String) -> ParticipantRecorder)?) throws {
        self.makeRecorder = makeRecorder
        self.configuration = configuration
        self.logger = logger
        client = SignalingClient(configuration: configuration.signaling, logger: logger)
        var peerConfiguration = PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: Int64(Date().timeIntervalSince1970)))
        peerConfiguration.ice = configuration.ice
        peerConfiguration.codecs = configuration.codecs
        self.peerConfiguration = peerConfiguration
        addresses = try LocalInterfaces.addresses(includeLoopback: configuration.includeLoopback)
    }

    /// Stays in the room for `duration` (or until cancelled) and reports every participant seen.
    /// - Throws: the signaling client's error when the server refuses the join.
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
            reports.append(await participant.close(failure: failures[id]))
        }
        participants.removeAll()
        return reports
    }

    private func stay(client: SignalingClient, duration: Duration?) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            group.addTask { for await event in client.events { await self.handle(event) } }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(40))
                    await self.relayParticipantEvents()
                }
            }
            group.addTask {
                if let duration { try await Task.sleep(for: duration) } else { try await Task.sleep(for: .seconds(86_400 * 365)) }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Every participant seen so far, as things stand: those who left, then those present.
    func snapshot() async -> [ParticipantReport] {
        var reports = departed
        for (id, participant) in participants.sorted(by: { $0.key < $1.key }) {
            reports.append(await participant.report(failure: failures[id]))
        }
        return reports
    }

    /// How many participants are in the room now.
    var participantCount: Int { participants.count }

    private func handle(_ event: SignalingEvent) async {
        do {
            switch event {
            case .joined(let id, let peers, let names):
                self.names.merge(names) { _, new in new }
                logger.info("joined the room", metadata: ["id": "\(id)", "participants": "\(peers.count)"])
                for peer in peers where participants[peer] == nil && !isFellowRecorder(peer) { try await offer(to: peer) }
            case .message(.offer(let description, let routing)):
                guard let from = routing.from, !isFellowRecorder(from) else { return }
                let participant = try await participant(from)
                let answer = try await participant.driver.withEndpoint { try $0.answer(remoteOffer: description.sdp, now: .now) }
                try client.send(.answer(SessionDescription(type: "answer", sdp: answer), Routing(to: from)))
            case .message(.answer(let description, let routing)):
                guard let from = routing.from, let participant = participants[from] else { return }
                try await participant.driver.withEndpoint { try $0.setRemoteAnswer(description.sdp, now: .now) }
            case .message(.iceCandidate(let candidate, let routing)):
                guard let from = routing.from, let participant = participants[from] else { return }
                try await participant.driver.withEndpoint { try $0.addRemoteCandidate(candidate?.candidate, now: .now) }
            case .message(.peerJoined(let id, let name)):
                if let name { names[id] = name }
            case .message(.peerLeft(let id)):
                guard let participant = participants.removeValue(forKey: id) else { return }
                logger.info("participant left", metadata: ["participant": "\(id)"])
                departed.append(await participant.close(failure: failures[id]))
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

    /// Whether a peer is another bot that gave the name this one gave: two recorders of one room
    /// (say a WebM and an MP4 job) have nothing to send each other, so neither negotiates, and
    /// neither lists the other as a participant.
    private func isFellowRecorder(_ id: String) -> Bool {
        guard let own = configuration.signaling.name else { return false }
        return names[id] == own
    }

    private func participant(_ id: String) async throws -> RoomParticipant {
        if let existing = participants[id] { return existing }
        let participant = try await RoomParticipant.start(id: id, name: names[id], configuration: peerConfiguration, addresses: addresses,
                                                          eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
                                                          makeRecorder: makeRecorder)
        if let reason = participant.driver.multicastDNSUnavailable, !configuration.ice.relayOnly {
            logger.notice("mDNS candidates cannot be resolved; the participant's checks must reveal its address",
                          metadata: ["participant": "\(id)", "reason": "\(reason)"])
        }
        participants[id] = participant
        return participant
    }

    private func offer(to id: String) async throws {
        let participant = try await participant(id)
        let offer = try await participant.driver.withEndpoint { $0.createReceiveOnlyOffer(now: .now) }
        try client.send(.offer(SessionDescription(type: "offer", sdp: offer), Routing(to: id)))
    }

    /// Trickles our candidates to each participant and logs connection outcomes.
    private func relayParticipantEvents() async {
        for (id, participant) in participants {
            guard let (events, mid) = try? await participant.takeEvents() else { continue }
            for event in events {
                switch event {
                case .localCandidate(let candidate):
                    try? client.send(.iceCandidate(IceCandidate(candidate: candidate.sdpValue, sdpMid: mid, sdpMLineIndex: 0),
                                                   Routing(to: id)))
                case .endOfCandidates:
                    try? client.send(.iceCandidate(nil, Routing(to: id)))
                case .connected:
                    logger.info("connected", metadata: ["participant": "\(id)"])
                case .failed(let reason):
                    failures[id] = reason
                    logger.error("connection failed", metadata: ["participant": "\(id)", "reason": "\(reason)"])
                case .iceStateChanged(let state, _):
                    logger.debug("ICE state", metadata: ["participant": "\(id)", "state": "\(state.rawValue)"])
                case .keyframeRequested:
                    break  // the bot sends no media
                }
            }
        }
    }
}
