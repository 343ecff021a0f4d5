import Foundation
import Logging
import Signaling
import SignalingServer
import SignalingTestSupport
import Testing

/// A participant who floods the bot with signaling messages while the bot is busy: the bot's
/// client keeps reading (so the server never takes it for a slow reader) and queues at most
/// `maxWaitingMessagesPerSender` of the flooder's, counting the rest, while every other peer's
/// messages arrive in order.
@Suite("Signaling client backlog")
struct SignalingBacklogTests {
    @Test("10,000 messages from one peer while the owner is busy: 256 kept, the rest counted, the other peer's all delivered",
          .timeLimit(.minutes(2)))
    func floodIsBoundedPerSender() async throws {
        let server = try await TestSignalingServer.start {
            // The server's own rate limit would throttle the flooder at the source; this test is
            // about a server that relays whatever it gets (like the seeds' server).
            $0.messagesPerSecond = 1_000_000
            $0.messageBurst = 1_000_000
        }
        defer { Task { await server.stop() } }

        var configuration = SignalingClientConfiguration(url: server.url, room: "flood")
        configuration.maxWaitingMessagesPerSender = 256
        var logger = Logger(label: "test.bot")
        logger.logLevel = .critical
        let bot = SignalingClient(configuration: configuration, logger: logger)
        let botRun = Task { try await bot.run() }
        defer { botRun.cancel() }
        var events = bot.events.makeAsyncIterator()
        guard case .joined(let botID, _, _, _) = await events.next() else { throw TestFailure("the bot did not join") }

        let flooder = RunningClient.start(url: server.url, room: "flood")
        let (flooderID, _) = try await flooder.joinedID()
        let polite = RunningClient.start(url: server.url, room: "flood")
        let (politeID, _) = try await polite.joinedID()
        defer { Task { await flooder.stop(); await polite.stop() } }

        // The bot's owner takes nothing while the flood arrives. It comes in batches the server's
        // queue for the bot can hold (it cuts off a client 1,024 messages behind), each sent once
        // the bot's client has read the one before: this is about the client's queue, not the server's.
        let flood = 10_000
        let batch = 500
        for start in stride(from: 0, to: flood, by: batch) {
            for index in start..<(start + batch) {
                try flooder.client.send(.iceCandidate(IceCandidate(candidate: "candidate:\(index) 1 udp 1 10.0.0.1 \(index) typ host"),
                                                      Routing(to: botID)))
            }
            let read = max(0, start + batch - 256)
            let deadline = ContinuousClock.now + .seconds(30)
            while bot.droppedMessages[flooderID, default: 0] < read, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        for index in 0..<10 {
            try polite.client.send(.iceCandidate(IceCandidate(candidate: "candidate:polite\(index) 1 udp 1 10.0.0.2 9 typ host"),
                                                 Routing(to: botID)))
        }
        #expect(bot.droppedMessages == [flooderID: flood - 256])

        // Now the owner catches up: the flooder's first 256, and all of the polite peer's, in order
        // (the server relays the two interleaved). Fewer than expected waits out the time limit.
        var fromFlooder: [String] = []
        var fromPolite: [String] = []
        while fromPolite.count < 10 || fromFlooder.count < 256, let event = await events.next() {
            guard case .message(.iceCandidate(let candidate, let routing)) = event else { continue }
            if routing.from == flooderID { fromFlooder.append(candidate?.candidate ?? "") }
            if routing.from == politeID { fromPolite.append(candidate?.candidate ?? "") }
        }
        #expect(fromFlooder.count == 256)
        #expect(fromFlooder.first == "candidate:0 1 udp 1 10.0.0.1 0 typ host")
        #expect(fromFlooder.last == "candidate:255 1 udp 1 10.0.0.1 255 typ host")
        #expect(fromPolite == (0..<10).map { "candidate:polite\($0) 1 udp 1 10.0.0.2 9 typ host" })

        // Once taken, the flooder's place is free again: their next message arrives.
        try flooder.client.send(.iceCandidate(IceCandidate(candidate: "candidate:after 1 udp 1 10.0.0.1 1 typ host"), Routing(to: botID)))
        var after: String?
        while after == nil, let event = await events.next() {
            if case .message(.iceCandidate(let candidate, let routing)) = event, routing.from == flooderID { after = candidate?.candidate }
        }
        #expect(after == "candidate:after 1 udp 1 10.0.0.1 1 typ host")
        #expect(bot.droppedMessages == [flooderID: flood - 256])
    }
}
