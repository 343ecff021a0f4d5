import ArgumentParser
import RTC
import RTCNIO

/// What `--turn` and `--turn-tls-ca-file` mean, for every command that takes them.
enum TurnServerOptions {
    static let turnHelp = ArgumentHelp(
        "TURN server: turn:HOST[:PORT] (UDP), turn:HOST[:PORT]?transport=tcp, or turns:HOST[:PORT] (TLS, port 5349).",
        discussion: "TCP and TLS reach a TURN server where UDP is blocked; peers still reach the relay over UDP.")
    static let caFileHelp = ArgumentHelp(
        "PEM file of CA certificates trusted for turns: servers besides the system's (a self-signed server's own certificate).")

    /// A CA file is read at start-up, so a missing or unreadable one stops the command here.
    static func validate(caFile: String?) throws {
        guard let caFile else { return }
        do {
            _ = try TurnTLSContexts.context(trustedCAFile: caFile)
        } catch {
            throw ValidationError("--turn-tls-ca-file: \(error)")
        }
    }

    /// The servers resolved (a blocking lookup, at start-up).
    static func servers(_ urls: [String], username: String?, password: String?, caFile: String?) throws -> [TurnServer] {
        try urls.map { try IceServerURL(parsing: $0).turnServer(username: username ?? "", password: password ?? "", trustedCAFile: caFile) }
    }
}
