import SignalingTestSupport
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Synchronization

/// A plain relay room server, as the seeds' Python server behaves: `join` puts a client in a
/// room and is never answered; every other text message is relayed verbatim to the other
/// clients of the room; nothing is stamped, nobody is announced. Runs on a loopback port in a
/// task the test owns.
final class PlainRelayServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    var url: String { "ws://127.0.0.1:\(port)" }

    /// Room members by connection number, each with the queue its messages go out on.
    private final class Rooms: Sendable {
        let members = Mutex<[String: [Int: AsyncStream<String>.Continuation]]>([:])
        let nextID = Atomic<Int>(0)
    }

    static func start(port: Int = 0) async throws -> PlainRelayServer {
        let rooms = Rooms()
        let router = Router()
        var logger = Logger(label: "test.plain-relay")
        logger.logLevel = .critical
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(configuration: .init()) { _, _, _ in
                .upgrade([:]) { inbound, outbound, _ in
                    let id = rooms.nextID.wrappingAdd(1, ordering: .relaxed).newValue
                    let (queue, sink) = AsyncStream.makeStream(of: String.self)
                    var room: String?
                    defer {
                        if let room { _ = rooms.members.withLock { $0[room]?.removeValue(forKey: id) } }
                        sink.finish()
                    }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { for await text in queue { try await outbound.write(.text(text)) } }
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message,
                                  let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                                  let type = object["type"] as? String else { continue }
                            if type == "join", let name = object["room"] as? String {
                                room = name
                                rooms.members.withLock { $0[name, default: [:]][id] = sink }
                            } else if ["offer", "answer", "ice-candidate"].contains(type), let room {
                                let others = rooms.members.withLock { $0[room]?.filter { $0.key != id }.map(\.value) ?? [] }
                                for other in others { other.yield(text) }
                            }
                        }
                        group.cancelAll()
                    }
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in portSink.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let task = Task {
            defer { portSink.finish() }
            try await app.runService()
        }
        for await bound in ports { return PlainRelayServer(port: bound, task: task) }
        try await task.value
        throw TestFailure("plain relay server stopped before listening")
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}
