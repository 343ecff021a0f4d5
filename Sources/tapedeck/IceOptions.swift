import ArgumentParser
import RTC
import RTCNIO

/// The ICE options `publish`, `serve` and `worker` share: which candidates to gather and through what.
struct IceOptions: ParsableArguments {
    @Option(help: "STUN server, e.g. stun:stun.example.org:3478.") var stun: [String] = []
    @Option(help: TurnServerOptions.turnHelp) var turn: [String] = []
    @Option(help: "TURN username.") var turnUser: String?
    @Option(help: "TURN password.") var turnPass: String?
    @Option(help: TurnServerOptions.caFileHelp) var turnTlsCaFile: String?
    @Flag(help: "Use only TURN relay candidates.") var relayOnly = false
    @Flag(help: "Also gather host candidates on loopback (peers on this machine).") var includeLoopback = false
    @OptionGroup var mediaPort: MediaPortOptions

    func validate() throws {
        if !turn.isEmpty, turnUser == nil || turnPass == nil { throw ValidationError("--turn needs --turn-user and --turn-pass") }
        try TurnServerOptions.validate(caFile: turnTlsCaFile)
        // `publish` needs a --turn of its own for --relay-only; `serve` and `worker` do not, since
        // jobs bring TURN servers too (`ice_servers`).
    }

    func requireTurnForRelayOnly() throws {
        if relayOnly, turn.isEmpty { throw ValidationError("--relay-only needs a --turn server") }
    }

    /// The servers resolved (a name that does not resolve is a usage error).
    func configuration() throws -> IceConfiguration {
        var configuration = IceConfiguration()
        configuration.relayOnly = relayOnly
        configuration.announcedAddresses = try mediaPort.announcedAddresses()
        do {
            configuration.stunServers = try stun.map { try IceServerURL(parsing: $0).resolve() }
            configuration.turnServers = try TurnServerOptions.servers(turn, username: turnUser, password: turnPass, caFile: turnTlsCaFile)
        } catch {
            throw ValidationError("\(error)")
        }
        return configuration
    }
}
