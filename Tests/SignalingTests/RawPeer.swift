import Foundation
import HummingbirdWSClient
import JSON
import Logging
import NIOCore
import Signaling
import SignalingTestSupport
import Synchronization

/// A bare WebSocket client for server tests: sends exactly the text (or frames) a test gives it
/// and records every text message it receives, so tests can speak malformed protocol too.
final class RawPeer: Sendable {
    enum Outgoing: Sendable {
        case text(String)
        case binary([UInt8])
    }

    /// What the connection task and the test share.
    private final class Shared: Sendable {
        let inbox = Mutex<[String]>([])
        let connected = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
    }

    private let shared = Shared()
    private let queue: AsyncStream<Outgoing>.Continuation
    private let task: Task<Void, Never>

    private init(url: String, maxFrameSize: Int) {
        let (stream, sink) = AsyncStream.makeStream(of: Outgoing.self)
        queue = sink
        let shared = self.shared
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = maxFrameSize
        configuration.autoPing = .disabled
        var logger = Logger(label: "test.rawpeer")
        logger.logLevel = .critical
        task = Task {
            defer { shared.finished.store(true, ordering: .sequentiallyConsistent) }
            _ = try? await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                shared.connected.store(true, ordering: .sequentiallyConsistent)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await item in stream {
                            switch item {
                            case .text(let text): try await outbound.write(.text(text))
                            case .binary(let bytes): try await outbound.write(.binary(.init(bytes: bytes)))
                            }
                        }
                    }
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        if case .text(let text) = message { shared.inbox.withLock { $0.append(text) } }
                    }
                    group.cancelAll()
                }
            }
        }
    }

    /// True once the server closed the connection (or it failed).
    var isClosed: Bool { shared.finished.load(ordering: .sequentiallyConsistent) }

    static func connect(_ url: String, maxFrameSize: Int = 1 << 14) async throws -> RawPeer {
        let peer = RawPeer(url: url, maxFrameSize: maxFrameSize)
        let deadline = ContinuousClock.now + .seconds(5)
        while !peer.shared.connected.load(ordering: .sequentiallyConsistent) {
            if peer.shared.finished.load(ordering: .sequentiallyConsistent) || ContinuousClock.now > deadline {
                throw TestFailure("could not connect to \(url)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return peer
    }

    /// Connects and joins `room`, returning the id the server gave this peer.
    static func joined(_ url: String, room: String, token: String? = nil) async throws -> (RawPeer, String) {
        let peer = try await connect(url)
        peer.send(.join(room: room, token: token))
        guard case .joined(let id, _, _, _) = try await peer.nextMessage() else { throw TestFailure("no joined reply") }
        return (peer, id)
    }

    func send(_ text: String) { queue.yield(.text(text)) }
    func send(binary bytes: [UInt8]) { queue.yield(.binary(bytes)) }
    func send(_ message: SignalingMessage) {
        send(String(decoding: try! JSONEncoder().encode(message), as: UTF8.self))
    }

    /// The next text message, waiting up to `timeout`.
    func nextText(timeout: Duration = .seconds(5)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let text = shared.inbox.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return text }
            if ContinuousClock.now > deadline { throw TestFailure("no message within \(timeout)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func nextMessage(timeout: Duration = .seconds(5)) async throws -> SignalingMessage {
        try JSONDecoder().decode(SignalingMessage.self, from: Data(try await nextText(timeout: timeout).utf8))
    }

    /// The next message as a JSON object, to check fields the typed enum does not carry.
    func nextObject(timeout: Duration = .seconds(5)) async throws -> [String: JSONValue] {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(try await nextText(timeout: timeout).utf8))
        guard case .object(let fields) = value else { throw TestFailure("not an object") }
        return fields
    }

    /// Waits `window` and returns whatever arrived (for "nothing reaches this peer" checks).
    func drain(after window: Duration = .milliseconds(300)) async throws -> [String] {
        try await Task.sleep(for: window)
        return shared.inbox.withLock { inbox in defer { inbox.removeAll() }; return inbox }
    }

    func close() async {
        queue.finish()
        task.cancel()
        await task.value
    }
}
