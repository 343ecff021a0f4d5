import ArgumentParser
import Foundation
import SignalingServer

/// Where the room-token key comes from, for `signal` and `signal token`. Secrets are read from
/// the environment first: a command line is visible to every user of the machine (`ps`).
struct RoomTokenKeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "HS256 secret for signed room tokens, at least 32 bytes (default: $TAPEDECK_SIGNAL_TOKEN_SECRET).",
        discussion: "Prefer the environment variable: a command line is visible to every user of the machine."))
    var tokenSecret: String?

    static let secretVariable = "TAPEDECK_SIGNAL_TOKEN_SECRET"

    /// The shared secret, from `--token-secret` or the environment; an empty variable is an error.
    func sharedSecret(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let tokenSecret { return try Self.checked(tokenSecret, source: "--token-secret") }
        guard let value = environment[Self.secretVariable] else { return nil }
        return try Self.checked(value, source: Self.secretVariable)
    }

    static func checked(_ secret: String, source: String) throws -> String {
        guard !secret.isEmpty else {
            throw ValidationError("\(source) is set but empty: give a secret of at least \(RoomTokenKey.minimumSecretBytes) bytes (e.g. `openssl rand -hex 32`), or unset it")
        }
        guard secret.utf8.count >= RoomTokenKey.minimumSecretBytes else {
            throw ValidationError("\(source) must be at least \(RoomTokenKey.minimumSecretBytes) bytes long; it has \(secret.utf8.count) (e.g. `openssl rand -hex 32`)")
        }
        return secret
    }

    static func pem(at path: String, option: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("\(option): cannot read \(path): \(error.localizedDescription)")
        }
    }
}
