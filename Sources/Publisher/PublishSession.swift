import Foundation
import Logging
import NIOCore
import NIOPosix
import RTC
import RTCNIO
import Signaling

/// `tapedeck publish`: one test signal, encoded once, sent by `count` synthetic participants to
/// every receiver in the room. Participants join one after another (so each knows its siblings
/// and none connects to another); their connections are spread over the event loops.
public final class PublishSession: Sendable {
    private let configuration: PublishConfiguration
    private let logger: Logger

    public init(configuration: PublishConfiguration, logger: Logger = Logger(label: "tapedeck.publish")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// What the session did, once it ends.
    public struct Outcome: Sendable {
        public var participants: [SyntheticParticipantReport]
        public var videoFramesEncoded: Int
        public var keyframesEncoded: Int
        public var audioFramesEncoded: Int
        public var framesSkipped: Int
    }

    /// Sends for `duration`, or until the calling task is cancelled (SIGINT), then reports.
    /// - Throws: an encoder that cannot be configured; a signaling server refusing a join.
    public func run(for duration: Duration?) async throws -> Outcome {
        let group = RTCEventLoops.group
        let eventLoops = Array(group.makeIterator())
        let fanOut = try await FrameFanOut.make(eventLoops: eventLoops)
        let source = try await TestSignalSource.start(
            configuration: TestSignalSource.Configuration(video: configuration.video, audio: configuration.audio),
            eventLoop: eventLoops[0], fanOut: fanOut, logger: logger)
        var peerConfiguration = PeerConnectionConfiguration(certificate: try DTLSCertificate(issuedAt: Int64(Date().timeIntervalSince1970)))
        peerConfiguration.ice = configuration.ice
        peerConfiguration.sendsMedia = true
        peerConfiguration.wallClock = source.epoch.wallClock
        let environment = SyntheticParticipant.Environment(
            peerConfiguration: peerConfiguration, addresses: try LocalInterfaces.addresses(includeLoopback: configuration.includeLoopback),
            source: source, fanOut: fanOut, eventLoops: eventLoops, siblings: SiblingRegistry(), udpPort: configuration.udpPort)
        let participants = (1 ... max(1, configuration.count)).map { index in
            var signaling = configuration.signaling
            signaling.name = configuration.name.map { configuration.count > 1 ? "\($0)-\(index)" : $0 }
            return SyntheticParticipant(index: index, signaling: signaling, environment: environment, logger: logger)
        }
        let joinTimeout = configuration.joinTimeout
        var failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                defer { tasks.cancelAll() }
                for participant in participants {
                    tasks.addTask { try await participant.run() }
                    await participant.waitUntilJoined(timeout: joinTimeout)
                }
                tasks.addTask {
                    // Cancellation (SIGINT) ends the sleep early; either way the run is over.
                    try? await Task.sleep(for: duration ?? .seconds(86_400 * 365 * 100))
                }
                try await tasks.next()
            }
        } catch {
            failure = error
        }
        var reports: [SyntheticParticipantReport] = []
        for participant in participants {
            reports.append(await participant.closeAndReport())
        }
        let statistics = await source.stop()
        if let failure, !(failure is CancellationError) { throw failure }
        return Outcome(participants: reports, videoFramesEncoded: statistics.videoFrames, keyframesEncoded: statistics.keyframes,
                       audioFramesEncoded: statistics.audioFrames, framesSkipped: statistics.skippedFrames)
    }
}
