import Foundation
@testable import Recorder
import Signaling
import Synchronization
import Testing

/// A recording that cannot reach its room ends within its join timeout, saying where it tried
/// and why it failed, instead of reconnecting for ever.
@Suite("The join timeout ends a recording that never gets into its room")
struct JoinTimeoutTests {
    /// Nothing listens on port 1: every connection is refused at once.
    private static let unreachable = "ws://127.0.0.1:1"

    private func roomConfiguration(timeout: Duration) -> RoomSessionConfiguration {
        var configuration = RoomSessionConfiguration(signaling: SignalingClientConfiguration(url: Self.unreachable, room: "r"))
        configuration.joinTimeout = timeout
        return configuration
    }

    @Test("a room session against an unreachable server ends with the timeout and the last failure", .timeLimit(.minutes(1)))
    func roomSessionTimesOut() async throws {
        let session = try RoomSession(configuration: roomConfiguration(timeout: .seconds(2)))
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: RoomJoinTimeout.self) { try await session.run(for: nil) }
        let elapsed = clock.now - start
        // Not before the timeout. No upper bound here beyond the time limit: the whole suite
        // shares the machine's cores, which CPU-bound tests keep busy for tens of seconds (the
        // e2e test_jobs_end.py holds a real process to the timeout and the exact reason).
        #expect(elapsed >= .seconds(2), "ended after \(elapsed)")
        let timedOut = try #require(error)
        #expect(timedOut.description.hasPrefix("could not join room \"r\" at \(Self.unreachable) within 2 s: "))
        if timedOut.failedAttempts >= 2 {  // reconnected with backoff until the timeout: says why the last failed
            #expect(timedOut.lastFailure == "connection refused")
            #expect(timedOut.description.contains("connection refused (last of "))
        }
    }

    @Test("a recording against an unreachable server fails with the timeout, never having said it joined", .timeLimit(.minutes(1)))
    func recordingTimesOut() async throws {
        let scratch = try ScratchDirectory()
        var configuration = RecordingConfiguration(room: roomConfiguration(timeout: .seconds(2)), roomName: "r",
                                                   recipe: try RecipeCatalog.named("webm"), directory: scratch.path)
        configuration.manifestInterval = .milliseconds(200)
        let recording = try Recording(configuration: configuration)
        let reports = Mutex<[Bool]>([])
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: RecordingError.self) {
            try await recording.run(for: nil) { progress in reports.withLock { $0.append(progress.joined) } }
        }
        #expect(clock.now - start >= .seconds(2))  // no upper bound: see roomSessionTimesOut
        let failure = try #require(error)
        #expect(failure.isJoinTimeout)
        #expect(!failure.isRefusedJoin)
        #expect(failure.description.hasPrefix("could not join room \"r\" at \(Self.unreachable) within 2 s: "))
        #expect(failure.manifest.state == .failed)
        #expect(failure.manifest.errors.contains { $0.contains("could not join room") })
        let joined = reports.withLock { $0 }
        #expect(!joined.isEmpty)  // progress was reported all along…
        #expect(!joined.contains(true))  // …never as in the room
    }

    @Test("without a join timeout the session keeps trying")
    func noTimeoutKeepsTrying() async throws {
        var configuration = roomConfiguration(timeout: .seconds(1))
        configuration.joinTimeout = nil
        let session = try RoomSession(configuration: configuration)
        // Ends at its duration, as before: not with a join timeout.
        let reports = try await session.run(for: .seconds(2))
        #expect(reports.isEmpty)
        #expect(await !session.hasJoined)
    }

    @Test("a server that takes the connection and never answers does not hold the timeout up", .timeLimit(.minutes(1)))
    func silentServerTimesOut() async throws {
        // A listening socket nobody accepts from: the kernel completes the TCP handshake, the
        // WebSocket upgrade is never answered, and the client's connect waits on its own.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        var configuration = RoomSessionConfiguration(signaling: SignalingClientConfiguration(
            url: "ws://127.0.0.1:\(UInt16(bigEndian: address.sin_port))", room: "r"))
        configuration.joinTimeout = .seconds(1)
        let session = try RoomSession(configuration: configuration)
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: RoomJoinTimeout.self) { try await session.run(for: nil) }
        // It ends at all (a hung connect used to hold it for as long as NIO waited: the time
        // limit catches that); how soon is the e2e test's to say, on a quiet process.
        #expect(clock.now - start >= .seconds(1), "ended after \(clock.now - start)")
    }

    @Test("durations read as people write them")
    func readableDurations() {
        #expect(Duration.seconds(30).readable == "30 s")
        #expect(Duration.milliseconds(2_500).readable == "2.5 s")
        #expect(Duration.seconds(60).readable == "60 s")
        #expect(Duration.seconds(300).readable == "5 min")
        #expect(Duration.seconds(6 * 3_600).readable == "6 h")
    }
}
