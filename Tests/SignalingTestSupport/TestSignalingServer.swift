import Foundation
import Logging
import SignalingServer
import Synchronization

/// A real `SignalingServer` on a loopback port, run in a task the test owns (for the signaling
/// tests and for the recorder's, which join rooms on it).
public final class TestSignalingServer: Sendable {
    public let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    public static func start(port: Int = 0, configure: (inout SignalingServerConfiguration) -> Void = { _ in }) async throws -> TestSignalingServer {
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

    public var url: String { "ws://127.0.0.1:\(port)" }

    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
