import ArgumentParser
import Foundation
import Logging
import SignalingServer

struct SignalServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the reference WebSocket room signaling server (the default of `tapedeck signal`).",
        discussion: """
            Clients send {"type":"join","room":…}; offers, answers and ice-candidate messages are \
            relayed to the other peers of the room, stamped with "from", or only to the peer named \
            by "to". The server answers join with {"type":"joined","id":…,"peers":[…]} and announces \
            peer-joined / peer-left. With a token secret ($TAPEDECK_SIGNAL_TOKEN_SECRET) or public key, \
            join must carry a signed room token (`tapedeck signal token`) whose identity and grant \
            the room sees; without one, it listens on loopback only unless --allow-unauthenticated.
            """)

    @Option(help: "Address to listen on (a non-loopback one needs a token secret, a public key, --token or --allow-unauthenticated).")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 8765
    @Option(help: "A shared password every join must carry as 'token' (default: $TAPEDECK_SIGNAL_TOKEN); signed room tokens are better.")
    var token: String?
    @OptionGroup var key: RoomTokenKeyOptions
    @Option(help: "PEM file of an EC P-256 public key: join must carry an ES256 room token signed by its private key.")
    var tokenPublicKey: String?
    @Flag(help: "Listen on a non-loopback address with no authentication at all: anyone who reaches the port joins any room as anyone.")
    var allowUnauthenticated = false
    @Option(help: "Largest client message in bytes.") var maxMessageBytes = 64 * 1024
    @Option(help: "Most peers in one room.") var maxPeersPerRoom = 32
    @Option(help: "Most rooms at once.") var maxRooms = 1_000
    @Option(help: "Most open connections; more are closed at once with 1013 (try again later).") var maxConnections = 10_000
    @Option(help: "Seconds a connection may stay without joining a room before it is closed with 1008.")
    var joinDeadlineSeconds = 10.0
    @Option(help: "Messages per second a client may send on average (bursts of 4 s worth); faster clients are read more slowly.")
    var messagesPerSecond = 50.0
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: Logger.Level = .info

    static let sharedTokenVariable = "TAPEDECK_SIGNAL_TOKEN"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard maxMessageBytes >= 1_024 else { throw ValidationError("--max-message-bytes must be at least 1024") }
        guard maxPeersPerRoom >= 2 else { throw ValidationError("--max-peers-per-room must be at least 2") }
        guard maxRooms >= 1 else { throw ValidationError("--max-rooms must be at least 1") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard joinDeadlineSeconds > 0, joinDeadlineSeconds.isFinite else { throw ValidationError("--join-deadline-seconds must be positive") }
        guard messagesPerSecond > 0, messagesPerSecond.isFinite else { throw ValidationError("--messages-per-second must be positive") }
        _ = try admission()
    }

    /// How joins are checked, from the options and the environment; refuses an open server on a
    /// non-loopback address unless asked for by name.
    func admission(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (key: RoomTokenKey?, token: String?) {
        let secret = try key.sharedSecret(environment: environment)
        if secret != nil, tokenPublicKey != nil {
            throw ValidationError("give either a token secret or --token-public-key, not both")
        }
        var roomTokenKey: RoomTokenKey?
        if let secret {
            roomTokenKey = .sharedSecret(secret)
        } else if let tokenPublicKey {
            roomTokenKey = .es256PublicKey(pem: try RoomTokenKeyOptions.pem(at: tokenPublicKey, option: "--token-public-key"))
        }
        var sharedToken = token ?? environment[Self.sharedTokenVariable]
        if sharedToken?.isEmpty ?? false {
            guard token == nil else { throw ValidationError("--token is empty: give the password, or leave it out") }
            throw ValidationError("\(Self.sharedTokenVariable) is set but empty: give the password, or unset it")
        }
        if roomTokenKey != nil, sharedToken != nil {
            throw ValidationError("give either signed room tokens (a token secret or --token-public-key) or a shared --token, not both")
        }
        if roomTokenKey == nil, sharedToken == nil, !allowUnauthenticated, !ListenAddress.isLoopback(host) {
            throw ValidationError("""
                refusing to listen on \(host) with no authentication: anyone who reaches it could join any room as anyone. \
                Set \(RoomTokenKeyOptions.secretVariable) (or --token-public-key) to require signed room tokens, \
                or pass --allow-unauthenticated to run it open anyway
                """)
        }
        if roomTokenKey != nil { sharedToken = nil }
        return (roomTokenKey, sharedToken)
    }

    func run() async throws {
        var logger = Logger(label: "tapedeck.signal")
        logger.logLevel = logLevel
        let (roomTokenKey, sharedToken) = try admission()
        var configuration = SignalingServerConfiguration(host: host, port: port, token: sharedToken)
        configuration.roomTokenKey = roomTokenKey
        configuration.maxMessageBytes = maxMessageBytes
        configuration.maxPeersPerRoom = maxPeersPerRoom
        configuration.maxRooms = maxRooms
        configuration.maxConnections = maxConnections
        configuration.joinDeadline = .milliseconds(Int64(joinDeadlineSeconds * 1_000))
        configuration.messagesPerSecond = messagesPerSecond
        configuration.messageBurst = max(1, Int(messagesPerSecond * 4))
        if roomTokenKey == nil, sharedToken == nil, !ListenAddress.isLoopback(host) {
            logger.warning("listening on a non-loopback address with no authentication (--allow-unauthenticated)", metadata: ["host": "\(host)"])
        }
        let server = SignalingServer(configuration: configuration, logger: logger)
        let host = self.host
        try await server.run(handleSignals: true) { port in
            // One line on stdout that scripts can wait for and parse.
            print("tapedeck signal listening on ws://\(host):\(port)")
            fflush(nil)  // all streams: stdout is a pipe when a script waits for this line
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
