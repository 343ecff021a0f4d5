import Foundation
import Logging
@testable import Recorder
import Signaling
import SignalingServer
import SignalingTestSupport
import Testing

/// A participant that floods the session with candidates faster than it applies them: beyond the
/// client's per-sender backlog their messages are dropped, and the count reaches the
/// participant's report (the manifest's `limitsReached.signalingMessages`).
@Suite struct SignalingFloodTests {
    @Test("a candidate flood is counted on the flooder's connection", .timeLimit(.minutes(2)))
    func floodIsCounted() async throws {
        let server = try await TestSignalingServer.start {
            $0.messagesPerSecond = 1_000_000
            $0.messageBurst = 1_000_000
        }
        defer { Task { await server.stop() } }
        var flooderLogger = Logger(label: "test.flooder")
        flooderLogger.logLevel = .critical
        let flooder = SignalingClient(configuration: SignalingClientConfiguration(url: server.url, room: "flood"), logger: flooderLogger)
        let flooderRun = Task { try await flooder.run() }
        defer { flooderRun.cancel() }
        var flooderEvents = flooder.events.makeAsyncIterator()
        var joinedAs: String?
        while joinedAs == nil, let event = await flooderEvents.next() {  // a loaded machine may need a second attempt
            if case .joined(let id, _, _, _) = event { joinedAs = id }
        }
        let flooderID = try #require(joinedAs)

        var configuration = RoomSessionConfiguration(signaling: SignalingClientConfiguration(url: server.url, room: "flood"))
        configuration.signaling.maxWaitingMessagesPerSender = 4
        let session = try RoomSession(configuration: configuration)
        let stay = Task { try await session.run(for: .seconds(90)) }
        defer { stay.cancel() }

        // The session offers to the flooder, who then floods it: a batch at a time until the
        // session reports drops (how many depends on the machine's speed; that some are
        // dropped does not).
        var sessionID: String?
        while sessionID == nil, let event = await flooderEvents.next() {
            if case .message(.offer(_, let routing)) = event { sessionID = routing.from }
        }
        let bot = try #require(sessionID)
        var dropped = 0
        let deadline = ContinuousClock.now + .seconds(60)
        var port = 1
        while dropped == 0, ContinuousClock.now < deadline {
            for _ in 0..<500 {  // within what the server queues for one client (1,024)
                port += 1
                try flooder.send(.iceCandidate(IceCandidate(candidate: "candidate:\(port) 1 udp 2122260223 10.9.\(port / 250 % 250).\(port % 250) \(port) typ host",
                                                            sdpMid: "0"), Routing(to: bot)))
            }
            try await Task.sleep(for: .seconds(1))
            let reports = await session.snapshot()
            dropped = reports.first { $0.participant == flooderID }?.limitsReached["signalingMessages"] ?? 0
        }
        #expect(dropped > 0)
        stay.cancel()
        let reports = try await stay.value
        let report = try #require(reports.first { $0.participant == flooderID })
        #expect(report.limitsReached["signalingMessages", default: 0] >= dropped)
    }
}
