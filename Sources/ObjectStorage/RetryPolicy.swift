import AsyncHTTPClient
import Logging
import NIOFileSystem

/// How often, and how far apart, a failed S3 request is tried again.
public struct RetryPolicy: Sendable {
    /// Including the first.
    public var maxAttempts: Int
    /// The upper bound of the first delay; it doubles with each attempt up to `maxDelay`.
    public var initialDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 6, initialDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(20)) {
        precondition(maxAttempts >= 1, "a request is tried at least once")
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    public static let never = RetryPolicy(maxAttempts: 1)

    /// "Full jitter": a uniformly random delay below the exponential bound, so that clients that
    /// failed together (a server restart) do not all come back together.
    func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let doublings = min(attempt - 1, 30)
        let bound = min(initialDelay * (1 << doublings), maxDelay)
        let seconds = Double(bound.components.seconds) + Double(bound.components.attoseconds) / 1e18
        return .seconds(Double.random(in: 0...seconds, using: &generator))
    }

    /// Server errors, timeouts and broken connections may go away; a request the server refused
    /// for what it is (4xx), a local file that cannot be read, or cancellation will not.
    public func isRetryable(_ error: any Error) -> Bool {
        switch error {
        case let error as S3Error: error.isRetryable
        case is CancellationError, is S3ProtocolError, is FileSystemError: false
        case let error as HTTPClientError: Self.transientHTTPClientErrors.contains(error)
        // Connection refused or reset, and the like, from NIO.
        default: true
        }
    }

    private static let transientHTTPClientErrors: [HTTPClientError] = [
        .connectTimeout, .readTimeout, .writeTimeout, .remoteConnectionClosed, .deadlineExceeded,
        .getConnectionFromPoolTimeout, .tlsHandshakeTimeout, .uncleanShutdown,
    ]

    /// Runs `attempt` until it succeeds, fails in a way that will not change, or has been tried
    /// `maxAttempts` times; then rethrows its last error.
    func run<Result>(
        logger: Logger, operation: String, _ attempt: () async throws -> Result
    ) async throws -> Result {
        var generator = SystemRandomNumberGenerator()
        var attemptNumber = 1
        while true {
            do {
                return try await attempt()
            } catch where attemptNumber < maxAttempts && isRetryable(error) && !Task.isCancelled {
                let delay = delay(afterAttempt: attemptNumber, using: &generator)
                logger.info(
                    "S3 request failed, retrying",
                    metadata: ["operation": "\(operation)", "attempt": "\(attemptNumber)", "error": "\(error)",
                               "delay": "\(delay)"])
                try await Task.sleep(for: delay)
                attemptNumber += 1
            }
        }
    }
}
