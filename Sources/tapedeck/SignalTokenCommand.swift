import ArgumentParser
import Foundation
import SignalingServer

/// `tapedeck signal token`: mints a signed room token, for operators and tests. The application
/// that decides who may join a room mints its own tokens the same way (any JWT library: HS256 or
/// ES256 with the claims `room`, `sub`, `exp` and optionally `"recorder": true`).
struct SignalTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a signed room token (JWT) for `tapedeck signal`.",
        discussion: """
            Signed with $TAPEDECK_SIGNAL_TOKEN_SECRET (HS256) or --private-key (ES256). Give the \
            token to a client as 'token' in its join, to `tapedeck publish/record/join --token`, or \
            to a recording job as signaling_token (with --recorder).
            """)

    @Option(help: "The room the token admits to.") var room: String
    @Option(help: "The holder's identity in the room (the JWT's sub): its name there, one connection at a time.")
    var identity: String
    @Flag(help: "Grant recording: the room knows the holder as a recorder (give it to a recording job).") var recorder = false
    @Option(help: "Seconds the token is valid.") var ttl = 3_600
    @OptionGroup var key: RoomTokenKeyOptions
    @Option(help: "PEM file of an EC P-256 private key: sign with ES256 instead of a secret.") var privateKey: String?

    func validate() throws {
        guard !room.isEmpty else { throw ValidationError("--room must not be empty") }
        guard !identity.isEmpty else { throw ValidationError("--identity must not be empty") }
        guard ttl >= 1 else { throw ValidationError("--ttl must be at least 1 second") }
    }

    func run() async throws {
        let signingKey: RoomTokenKey
        if let privateKey {
            signingKey = .es256PrivateKey(pem: try RoomTokenKeyOptions.pem(at: privateKey, option: "--private-key"))
        } else if let secret = try key.sharedSecret() {
            signingKey = .sharedSecret(secret)
        } else {
            throw ValidationError("nothing to sign with: set \(RoomTokenKeyOptions.secretVariable) (or --token-secret), or give --private-key")
        }
        let issuer: RoomTokenIssuer
        do {
            issuer = try await RoomTokenIssuer(key: signingKey)
        } catch {
            throw ValidationError("\(error)")
        }
        print(try await issuer.token(room: room, identity: identity, recorder: recorder, validFor: .seconds(ttl)))
    }
}
