import ArgumentParser
import Foundation
import Logging
import SignalingServer

struct SignalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signal",
        abstract: "Run the reference WebSocket room signaling server.",
        discussion: """
            Clients send {"type":"join","room":…}; offers, answers and ice-candidate messages are \
            relayed to the other peers of the room, stamped with "from", or only to the peer named \
            by "to". The server answers join with {"type":"joined","id":…,"peers":[…]} and announces \
            peer-joined / peer-left.
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 8765
    @Option(help: "Secret that clients must send as 'token' in join.") var token: String?
    @Option(help: "Largest client message in bytes.") var maxMessageBytes = 64 * 1024
    @Option(help: "Most peers in one room.") var maxPeersPerRoom = 32
    @Option(help: "Most rooms at once.") var maxRooms = 1_000
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: Logger.Level = .info

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard maxMessageBytes >= 1_024 else { throw ValidationError("--max-message-bytes must be at least 1024") }
        guard maxPeersPerRoom >= 2 else { throw ValidationError("--max-peers-per-room must be at least 2") }
        guard maxRooms >= 1 else { throw ValidationError("--max-rooms must be at least 1") }
    }

    func run() async throws {
        var logger = Logger(label: "tapedeck.signal")
        logger.logLevel = logLevel
        var configuration = SignalingServerConfiguration(host: host, port: port, token: token)
        configuration.maxMessageBytes = maxMessageBytes
        configuration.maxPeersPerRoom = maxPeersPerRoom
        configuration.maxRooms = maxRooms
        let server = SignalingServer(configuration: configuration, logger: logger)
        try await server.run(handleSignals: true) { port in
            // One line on stdout that scripts can wait for and parse.
            print("tapedeck signal listening on ws://\(host):\(port)")
            fflush(nil)  // all streams: stdout is a pipe when a script waits for this line
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
