import Foundation
import Synchronization
@testable import Recorder
import Signaling
import SignalingServer
import SignalingTestSupport
import Testing

/// A room with more participants than a session takes: the first are connected to, the rest are
/// counted and named in the manifest's errors, and the session carries on.
@Suite struct ParticipantLimitTests {
    @Test("three participants, a limit of two: two get offers, one is counted", .timeLimit(.minutes(1)))
    func limitIsCounted() async throws {
        let server = try await TestSignalingServer.start()
        defer { Task { await server.stop() } }
        // Participants that only join and listen: the offers the session sends them are counted.
        let offers = OfferCount()
        let joined = OfferCount()
        let joiners = (0..<3).map { _ in
            Task {
                let client = SignalingClient(configuration: SignalingClientConfiguration(url: server.url, room: "crowd"))
                async let running: Void = client.run()
                for await event in client.events {
                    if case .message(.offer) = event { offers.add() }
                    if case .joined = event { joined.add() }
                }
                try await running
            }
        }
        defer { for joiner in joiners { joiner.cancel() } }
        // All three in the room before the session joins (a loaded machine is slow to connect them).
        let everyoneIn = ContinuousClock.now + .seconds(30)
        while joined.count < 3, ContinuousClock.now < everyoneIn { try await Task.sleep(for: .milliseconds(20)) }
        try #require(joined.count == 3)
        var configuration = RoomSessionConfiguration(signaling: SignalingClientConfiguration(url: server.url, room: "crowd"))
        configuration.maximumParticipants = 2
        let session = try RoomSession(configuration: configuration)
        let reports = try await session.run(for: .seconds(5))
        #expect(reports.count == 2)
        #expect(await session.refusedParticipants.count == 1)
        #expect(await session.limitNotes == ["1 participant(s) not recorded: the limit of 2 participants per recording was reached"])
        // The offers were sent during the session; on a loaded machine they may still be on their way.
        let deadline = ContinuousClock.now + .seconds(30)
        while offers.count < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(offers.count == 2)
    }
}

private final class OfferCount: Sendable {
    private let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}
