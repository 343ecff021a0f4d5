import Foundation
import Logging
import SignalingServer
import Synchronization

/// A real `SignalingServer` on a loopback port, run in a task the test owns.
final class TestSignalingServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    static func start(port: Int = 0, configure: (inout SignalingServerConfiguration) -> Void = { _ in }) async throws -> TestSignalingServer {
        var configuration = SignalingServerConfiguration(host: "127.0.0.1", port: port)
        configure(&configuration)
        var logger = Logger(label: "test.signal")
        // Tests stop servers by cancelling them, which Hummingbird logs as errors; that noise
        // would bury real failures.
        logger.logLevel = .critical
        let server = SignalingServer(configuration: configuration, logger: logger)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { portSink.finish() }
            try await server.run { portSink.yield($0) }
        }
        for await bound in ports {
            return TestSignalingServer(port: bound, task: task)
        }
        // The stream ended without a port: the server failed to start; surface its error.
        try await task.value
        throw TestFailure("signaling server stopped before listening")
    }

    var url: String { "ws://127.0.0.1:\(port)" }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
