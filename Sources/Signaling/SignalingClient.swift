import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// What a `SignalingClient` reports to its owner.
public enum SignalingEvent: Sendable, Hashable {
    /// The server accepted our join; sent again after every reconnect, with the peers present then.
    /// `names`: the names of the peers that gave one. `recorders`: the peers whose signed room
    /// token grants recording (nil: the server does not check grants).
    case joined(id: String, peers: [String], names: [String: String] = [:], recorders: [String]? = nil)
    /// The server did not answer our join with `joined` but relays like a plain room: the
    /// seeds' server puts a client in the room on `join` and relays every offer, answer and
    /// candidate verbatim to everyone else there, with no ids, no `from` and no peer events.
    /// Sent again after every reconnect to such a server.
    case enteredPlainRoom
    /// Any other message from the server: relayed offers, answers and candidates, peer-joined,
    /// peer-left, error.
    case message(SignalingMessage)
    /// The connection was lost; the client is reconnecting.
    case disconnected(reason: String)
}

public enum SignalingClientError: Error, Hashable, CustomStringConvertible {
    case notConnected
    case joinRefused(reason: String)
    case invalidURL(String)

    public var description: String {
        switch self {
        case .notConnected: "not connected to the signaling server"
        case .joinRefused(let reason): "the signaling server refused to join: \(reason)"
        case .invalidURL(let url): "signaling URL must be ws:// or wss://, got '\(url)'"
        }
    }
}

public struct SignalingClientConfiguration: Sendable {
    public var url: String
    public var room: String
    public var token: String?
    /// How this client wants to be known in the room (sent with `join`; nil: by its id only).
    public var name: String?
    /// WebSocket ping period; a server that stops answering is treated as gone.
    public var pingInterval: Duration = .seconds(15)
    public var backoff = ReconnectBackoff()
    /// Largest message accepted from the server (SDPs of big rooms are tens of kilobytes).
    public var maxMessageBytes = 1 << 20
    /// How long to wait for `joined` before taking the server for a plain relay
    /// (`SignalingEvent.enteredPlainRoom`). A relayed message without `from` says so at once.
    public var joinAnswerWait: Duration = .seconds(1)
    /// Relayed messages from one sender that may wait for the owner to take them; beyond, that
    /// sender's messages are dropped and counted (`SignalingClient.droppedMessages`). A
    /// participant's offer and its candidates are a few dozen; only a flood reaches this.
    public var maxWaitingMessagesPerSender = 256

    public init(url: String, room: String, token: String? = nil) {
        self.url = url
        self.room = room
        self.token = token
    }
}

/// Joins one room on a signaling server and keeps it joined: reconnects with backoff and joins
/// again after the server restarts. Incoming messages arrive on `events`; `send` is synchronous
/// and never waits on the network.
public final class SignalingClient: Sendable {
    public let events: SignalingEvents
    private let eventSink: AsyncStream<SignalingEvent>.Continuation
    private let backlog: SharedSignalingBacklog
    private let configuration: SignalingClientConfiguration
    private let logger: Logger
    /// The writer queue of the live connection, or nil between connections.
    private let outbound = Mutex<AsyncStream<String>.Continuation?>(nil)

    public init(configuration: SignalingClientConfiguration, logger: Logger = Logger(label: "tapedeck.signaling.client")) {
        self.configuration = configuration
        self.logger = logger
        let (stream, eventSink) = AsyncStream.makeStream(of: SignalingEvent.self)
        self.eventSink = eventSink
        backlog = SharedSignalingBacklog(limit: configuration.maxWaitingMessagesPerSender)
        events = SignalingEvents(stream: stream, backlog: backlog)
    }

    /// Relayed messages dropped so far per sender (its signaling id; "" in a plain relay room)
    /// because `maxWaitingMessagesPerSender` of theirs were waiting to be taken.
    public var droppedMessages: [String: Int] {
        backlog.state.withLock { $0.dropped }
    }

    /// Sends a message on the live connection.
    /// - Throws: `SignalingClientError.notConnected` between connections: offers and candidates
    ///   meant for the old connection's peers would be stale after a reconnect anyway.
    public func send(_ message: SignalingMessage) throws {
        let text = try String(decoding: JSONEncoder().encode(message), as: UTF8.self)
        let result = outbound.withLock { $0?.yield(text) }
        guard case .enqueued = result else { throw SignalingClientError.notConnected }
    }

    /// Connects, joins and stays joined until the calling task is cancelled.
    /// - Throws: `SignalingClientError.joinRefused` when the server rejects the join (a wrong
    ///   token, a full room): retrying cannot help, so the client stops.
    public func run() async throws {
        guard let scheme = URL(string: configuration.url)?.scheme?.lowercased(), scheme == "ws" || scheme == "wss" else {
            throw SignalingClientError.invalidURL(configuration.url)
        }
        defer { eventSink.finish() }
        var backoff = configuration.backoff
        while !Task.isCancelled {
            let outcome = await connectOnce()
            switch outcome {
            case .refused(let reason):
                throw SignalingClientError.joinRefused(reason: reason)
            case .lost(let reason, let wasJoined):
                if Task.isCancelled { return }
                if wasJoined { backoff.reset() }
                eventSink.yield(.disconnected(reason: reason))
                let delay = backoff.nextDelay()
                logger.info("signaling connection lost, reconnecting", metadata: [
                    "reason": "\(reason)", "delay": "\(delay)",
                ])
                try? await Task.sleep(for: delay)
            }
        }
    }

    private enum ConnectionOutcome {
        case lost(reason: String, wasJoined: Bool)
        case refused(reason: String)
    }

    private final class ConnectionState: Sendable {
        /// What the server turned out to be on this connection: 0 not yet known, 1 a room server
        /// that answered `joined`, 2 a plain relay.
        private let room = Atomic<Int>(0)
        let refusal = Mutex<String?>(nil)

        static let waiting = 0, answered = 1, plain = 2

        var joined: Bool { room.load(ordering: .relaxed) != Self.waiting }
        var isPlain: Bool { room.load(ordering: .relaxed) == Self.plain }

        func markAnswered() { room.store(Self.answered, ordering: .relaxed) }

        /// Whether this call is the one that found the room plain (it is found so once).
        func markPlain() -> Bool {
            room.compareExchange(expected: Self.waiting, desired: Self.plain, ordering: .relaxed).exchanged
        }
    }

    private func connectOnce() async -> ConnectionOutcome {
        let state = ConnectionState()
        var wsConfiguration = WebSocketClientConfiguration()
        wsConfiguration.maxFrameSize = configuration.maxMessageBytes
        wsConfiguration.autoPing = .enabled(timePeriod: configuration.pingInterval)
        let joinText: String
        do {
            joinText = String(decoding: try JSONEncoder().encode(
                SignalingMessage.join(room: configuration.room, token: configuration.token, name: configuration.name)), as: UTF8.self)
        } catch {
            return .refused(reason: "cannot encode join: \(error)")
        }
        let maxMessageBytes = configuration.maxMessageBytes
        do {
            let closeFrame = try await WebSocketClient.connect(
                url: configuration.url, configuration: wsConfiguration, logger: logger
            ) { inbound, outbound, _ in
                let (queue, queueSink) = AsyncStream.makeStream(of: String.self)
                self.outbound.withLock { $0 = queueSink }
                defer {
                    self.outbound.withLock { $0 = nil }
                    queueSink.finish()
                }
                try await outbound.write(.text(joinText))
                let joinAnswerWait = self.configuration.joinAnswerWait
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await text in queue { try await outbound.write(.text(text)) }
                    }
                    group.addTask {
                        // A server that relays without answering `join` is a plain room.
                        try await Task.sleep(for: joinAnswerWait)
                        self.enterPlainRoom(state)
                    }
                    for try await message in inbound.messages(maxSize: maxMessageBytes) {
                        guard case .text(let text) = message else { continue }
                        if self.deliver(text, state: state) == .stop { break }
                    }
                    group.cancelAll()
                }
            }
            if let reason = state.refusal.withLock({ $0 }) { return .refused(reason: reason) }
            // 4000–4999: the server's own verdict on this client (a refused token, its identity
            // taken by a newer connection); connecting again would only repeat it, or take the
            // identity back from the newer connection and start a tug of war.
            if let closeFrame, case .unknown(let code) = closeFrame.closeCode, (4_000...4_999).contains(code) {
                return .refused(reason: closeFrame.reason ?? "closed by the server with code \(code)")
            }
            return .lost(reason: "server closed the connection", wasJoined: state.joined)
        } catch {
            if let reason = state.refusal.withLock({ $0 }) { return .refused(reason: reason) }
            return .lost(reason: ConnectionFailureReason.describe(error), wasJoined: state.joined)
        }
    }

    private enum Delivery { case carryOn, stop }

    private func deliver(_ text: String, state: ConnectionState) -> Delivery {
        let message: SignalingMessage
        do {
            message = try JSONDecoder().decode(SignalingMessage.self, from: Data(text.utf8))
        } catch {
            logger.warning("ignoring a signaling message we cannot read", metadata: ["error": "\(error)"])
            return .carryOn
        }
        switch message {
        case .joined(let id, let peers, let names, let recorders):
            state.markAnswered()
            eventSink.yield(.joined(id: id, peers: peers, names: names, recorders: recorders))
        case .error(let reason) where !state.joined:
            // An error before `joined` answers our join: the server will not let us in.
            state.refusal.withLock { $0 = reason }
            return .stop
        default:
            // A relayed message that says nobody's id, before any `joined`: a plain room.
            if let routing = message.routing, routing.from == nil, !state.joined { enterPlainRoom(state) }
            publish(.message(message))
        }
        return .carryOn
    }

    /// Queues a relayed message for the owner unless its sender already has their share waiting.
    private func publish(_ event: SignalingEvent) {
        switch backlog.state.withLock({ $0.admit(event) }) {
        case .queued:
            eventSink.yield(event)
        case .dropped(let sender, firstFromSender: true):
            logger.warning("a peer sends signaling messages faster than they can be applied; dropping theirs beyond the limit", metadata: [
                "peer": "\(sender)", "limit": "\(configuration.maxWaitingMessagesPerSender)",
            ])
        case .dropped:
            break
        }
    }

    private func enterPlainRoom(_ state: ConnectionState) {
        guard state.markPlain() else { return }
        logger.debug("the signaling server did not answer join: a plain relay room")
        eventSink.yield(.enteredPlainRoom)
    }
}
