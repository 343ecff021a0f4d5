import ArgumentParser
import Foundation
import Logging
import RTC
import Recorder
import Signaling

struct JoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join a room as the bot would and report what it receives from each participant.",
        discussion: """
            Answers every participant's offer (or offers to receive from those already in the room), \
            connects through ICE and DTLS-SRTP, and after --duration prints per participant and track: \
            codec, SSRC, packets and bytes decrypted, authentication failures and the selected \
            candidate pair. Exits 0 when every participant connected and sent media.
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Seconds to stay in the room.") var duration: Double = 10
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Log level.") var logLevel: Logger.Level = .warning

    func validate() throws {
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
    }

    func run() async throws {
        var logger = Logger(label: "tapedeck.join")
        logger.logLevel = logLevel
        let configuration = try connection.roomConfiguration()
        try await SharedPortPreflight.bind(configuration.network)
        let session = try RoomSession(configuration: configuration, logger: logger)
        let reports = try await session.run(for: .milliseconds(Int(duration * 1_000)))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        } else {
            print(JoinReportFormatter.text(reports))
        }
        let healthy = !reports.isEmpty && reports.allSatisfy { $0.connected && $0.streams.contains { $0.packetsReceived > 0 } }
        if !healthy {
            let reason = reports.isEmpty ? "no participant was in the room" : "not every participant connected and sent media"
            FileHandle.standardError.write(Data("tapedeck join: \(reason)\n".utf8))
            throw ExitCode(1)
        }
    }
}

enum JoinReportFormatter {
    static func text(_ reports: [ParticipantReport]) -> String {
        if reports.isEmpty { return "no participants" }
        var lines: [String] = []
        for report in reports {
            lines.append("participant \(report.participant): \(report.connected ? "connected" : "NOT connected") (ICE \(report.iceState))")
            if let pair = report.selectedPair { lines.append("  pair: \(pair)") }
            if let profile = report.srtpProfile { lines.append("  srtp: \(profile)") }
            if let failure = report.failure { lines.append("  failure: \(failure)") }
            for stream in report.streams {
                lines.append("  \(stream.kind) \(stream.codec) ssrc \(stream.ssrc) mid \(stream.mid ?? "-"): "
                    + "\(stream.packetsReceived) packets (\(stream.packetsRecovered) recovered by NACK, \(stream.packetsLost) lost), "
                    + "\(stream.frames) frames (\(stream.keyframes) keyframes), \(Int(stream.bitrateKbps)) kbit/s, "
                    + "jitter \(String(format: "%.1f", stream.jitterMilliseconds)) ms")
            }
            lines.append("  rtcp: \(report.rtcpPackets) packets; auth failures: \(report.authenticationFailures); replays: \(report.replays)")
        }
        return lines.joined(separator: "\n")
    }
}
