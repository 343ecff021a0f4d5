import Foundation
@testable import Recorder
import Signaling
import SignalingServer
import SignalingTestSupport
import Testing

/// A room server that refuses the bot's join ends its session with the refusal, every time: the
/// client's event stream ends as its run throws, and the session must report the throw, not
/// an uneventful stay in an empty room (which once won that race now and then, and a job
/// without its token ended "nobody was in room" instead of with the server's reason).
@Suite("A refused join ends the session with the server's reason")
struct RefusedJoinTests {
    @Test("a join without the room's password is refused, 20 times out of 20", .timeLimit(.minutes(3)))
    func refusalIsTheOutcome() async throws {
        let server = try await TestSignalingServer.start { $0.token = "the-room-password" }
        defer { Task { await server.stop() } }
        for attempt in 1...20 {
            let session = try RoomSession(configuration: RoomSessionConfiguration(
                signaling: SignalingClientConfiguration(url: server.url, room: "board")))
            do {
                // Long: the refusal must be the outcome, not the end of the stay (a loaded machine
                // can hold the refusal up for seconds; a broken session ends at once either way).
                let reports = try await session.run(for: .seconds(120))
                Issue.record("attempt \(attempt): the session ended without the refusal, \(reports.count) participants")
            } catch let error as SignalingClientError {
                guard case .joinRefused(let reason) = error else {
                    Issue.record("attempt \(attempt): \(error)")
                    continue
                }
                #expect(!reason.isEmpty)
            }
        }
    }
}
