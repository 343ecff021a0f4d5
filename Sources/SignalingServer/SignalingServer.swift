import Foundation
import Hummingbird
import HummingbirdWebSocket
import JSON
import Logging
import NIOWebSocket
import ServiceLifecycle
import Signaling
import UnixSignals

/// The reference room server: peers join a room over WebSocket and the server relays their
/// offers, answers and candidates to the other peers of that room (all of them, or the one named
/// by `to`), stamped with `from`. It accepts WebSocket upgrades on any path, as the plain relay
/// servers browser clients are written for do, and answers `GET /healthz` over plain HTTP.
public struct SignalingServer: Sendable {
    public let configuration: SignalingServerConfiguration
    private let directory: RoomDirectory
    private let connections = ConnectionCount()
    private let logger: Logger

    public init(configuration: SignalingServerConfiguration, logger: Logger = Logger(label: "tapedeck.signal")) {
        self.configuration = configuration
        self.logger = logger
        self.directory = RoomDirectory(maxRooms: configuration.maxRooms, maxPeersPerRoom: configuration.maxPeersPerRoom)
    }

    /// Serves until the calling task is cancelled, or SIGINT/SIGTERM when `handleSignals`.
    /// `onListening` receives the bound port (useful with port 0).
    public func run(handleSignals: Bool = false, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let admission = try await RoomAdmission(configuration)
        let router = Router()
        router.get("/healthz") { _, _ in "ok\n" }
        var wsConfiguration = WebSocketServerConfiguration()
        wsConfiguration.maxFrameSize = configuration.maxFrameBytes
        wsConfiguration.autoPing = .enabled(timePeriod: configuration.pingInterval)
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(configuration: .init(ws: wsConfiguration)) { _, _, _ in
                .upgrade([:]) { inbound, outbound, context in
                    try await self.serveConnection(inbound: inbound, outbound: outbound, admission: admission, logger: context.logger)
                }
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "tapedeck-signal"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [app],
                gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        try await group.run()
    }

    private func serveConnection(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, admission: RoomAdmission,
                                 logger: Logger) async throws {
        guard connections.open(limit: configuration.maxConnections) else {
            logger.notice("refused a connection: the server is at its limit", metadata: ["limit": "\(configuration.maxConnections)"])
            try await outbound.close(.unknown(SignalingCloseCode.tryAgainLater.rawValue),
                                     reason: "the server has reached its limit of \(configuration.maxConnections) connections")
            return
        }
        defer { connections.closed() }
        let id = Self.makePeerID()
        // One queue per peer carries both replies and relayed messages, so their order is kept.
        let outbox = PeerOutbox(maxMessages: configuration.maxQueuedMessages, maxBytes: configuration.maxQueuedBytes)
        let joined = JoinedFlag()
        defer {
            directory.leave(id: id)
            outbox.finish()
        }
        try await withThrowingTaskGroup(of: ConnectionTaskEnd.self) { group in
            group.addTask { try await Self.write(outbox, to: outbound) }
            group.addTask {
                try await self.read(inbound, from: id, admission: admission, outbox: outbox, joined: joined, logger: logger)
            }
            group.addTask {
                // A connection that never joins holds a socket and a slot for nothing.
                try await Task.sleep(for: self.configuration.joinDeadline)
                if !joined.isRaised {
                    let reason = "join a room within \(self.configuration.joinDeadline) of connecting"
                    outbox.yield(.text(RoomDirectory.encode(.error(reason: reason))))
                    outbox.yield(.close(.policyViolation, reason: reason))
                }
                return .carriesOn
            }
            group.addTask {
                // A client that does not read at all never lets the close frame out: give it the
                // grace, then drop the connection.
                for await _ in outbox.overflows {
                    logger.notice("disconnecting a client that does not read", metadata: ["peer": "\(id)", "reason": "\(outbox.overflowReason)"])
                    try await Task.sleep(for: self.configuration.slowClientCloseGrace)
                    throw SlowClientDropped()
                }
                return .carriesOn
            }
            while let end = try await group.next(), end == .carriesOn {}
            group.cancelAll()
        }
    }

    /// Which of a connection's tasks ending ends the connection.
    private enum ConnectionTaskEnd {
        case endsConnection, carriesOn
    }

    /// Writes the client's queue to its socket until a close frame, or an overflow (then the
    /// rest is discarded and the close says why).
    private static func write(_ outbox: PeerOutbox, to outbound: WebSocketOutboundWriter) async throws -> ConnectionTaskEnd {
        for await frame in outbox.frames {
            outbox.taken(frame)
            if outbox.isOverflowed {
                try await outbound.close(.unknown(SignalingCloseCode.policyViolation.rawValue), reason: outbox.overflowReason.fittingCloseReason)
                return .endsConnection
            }
            switch frame {
            case .text(let text):
                try await outbound.write(.text(text))
            case .close(let code, let reason):
                try await outbound.close(.unknown(code.rawValue), reason: reason.fittingCloseReason)
                return .endsConnection
            }
        }
        return .endsConnection
    }

    /// Reads the client's messages, at most at its rate, until it closes.
    private func read(_ inbound: WebSocketInboundStream, from id: String, admission: RoomAdmission, outbox: PeerOutbox,
                      joined: JoinedFlag, logger: Logger) async throws -> ConnectionTaskEnd {
        var assembler = TextMessageAssembler(limit: configuration.maxMessageBytes)
        var rate = MessageRateLimit(perSecond: configuration.messagesPerSecond, burst: configuration.messageBurst, now: .now)
        var throttled = false
        for try await frame in inbound {
            let reply: String?
            switch assembler.consume(frame.opcode, frame.data, fin: frame.fin) {
            case .pending: reply = nil
            case .message(let text):
                let wait = rate.take(now: .now)
                if wait > .zero {
                    if !throttled {
                        throttled = true
                        logger.notice("throttling a client", metadata: ["peer": "\(id)", "messages_per_second": "\(configuration.messagesPerSecond)"])
                    }
                    try await Task.sleep(for: wait)
                }
                reply = await handle(text, from: id, admission: admission, outbox: outbox, joined: joined)
            case .tooLarge(let bytes):
                reply = "message of \(bytes) bytes exceeds the limit of \(configuration.maxMessageBytes) bytes"
            case .binary: reply = "binary messages are not supported; send JSON text"
            case .invalidUTF8: reply = "message is not valid UTF-8"
            case .strayContinuation: reply = "continuation frame without a message"
            }
            if let reply {
                logger.debug("refused a client message", metadata: ["peer": "\(id)", "reason": "\(reply)"])
                outbox.yield(.text(RoomDirectory.encode(.error(reason: reply))))
            }
        }
        return .endsConnection
    }

    /// Acts on one text message; returns the reason to send back when it is refused.
    private func handle(_ text: String, from id: String, admission: RoomAdmission, outbox: PeerOutbox, joined: JoinedFlag) async -> String? {
        do {
            switch try SignalingRequest.parse(text, maxRoomNameLength: configuration.maxRoomNameLength) {
            case .join(let room, let token, let name):
                var grant: RoomGrant?
                switch admission {
                case .open:
                    break
                case .sharedToken(let expected):
                    if !Self.constantTimeEqual(token ?? "", expected) {
                        return token == nil ? "this server requires a 'token' to join" : "invalid token"
                    }
                case .signedTokens(let verifier):
                    do {
                        grant = try await verifier.verify(token, joining: room)
                    } catch {
                        // Told as an error (clients that read messages) and as the close reason
                        // (clients that see only the socket end); the connection ends either way.
                        logger.info("refused a room token", metadata: ["peer": "\(id)", "room": "\(room)", "reason": "\(error)"])
                        outbox.yield(.text(RoomDirectory.encode(.error(reason: error.description))))
                        outbox.yield(.close(.unauthorized, reason: error.description))
                        return nil
                    }
                }
                let replaced = try directory.join(room: room, id: id, name: name, grant: grant, outbox: outbox)
                if let replaced, let grant {
                    let reason = "identity '\(grant.identity.prefix(64))' joined room '\(room.prefix(32))' from another connection"
                    replaced.yield(.text(RoomDirectory.encode(.error(reason: reason))))
                    replaced.yield(.close(.identityReplaced, reason: reason))
                    logger.info("a peer's identity was taken over by a new connection", metadata: ["peer": "\(id)", "room": "\(room)"])
                }
                var metadata: Logger.Metadata = ["peer": "\(id)", "room": "\(room)"]
                if let grant {
                    metadata["identity"] = "\(grant.identity)"
                    metadata["recorder"] = "\(grant.mayRecord)"
                }
                joined.raise()
                logger.info("peer joined", metadata: metadata)
            case .relay(_, var fields, let target):
                fields["from"] = .string(id)
                let stamped = String(decoding: try JSONEncoder().encode(JSONValue.object(fields)), as: UTF8.self)
                try directory.relay(stamped, from: id, to: target)
            }
            return nil
        } catch let error as SignalingRequestError {
            return error.reason
        } catch let error as RoomError {
            return error.reason
        } catch {
            return "internal error: \(error)"
        }
    }

    private static func makePeerID() -> String {
        String(UInt64.random(in: .min ... .max), radix: 16).leftPadded(to: 16)
    }

    private static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}

extension String {
    /// A close frame's reason holds at most 123 bytes of UTF-8: cut at a character boundary.
    fileprivate var fittingCloseReason: String {
        var cut = self
        while cut.utf8.count > 123 { cut.removeLast() }
        return cut
    }

    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
