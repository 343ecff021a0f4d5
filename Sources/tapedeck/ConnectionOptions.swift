import ArgumentParser
import Foundation
import Recorder
import RTC
import RTCNIO
import Signaling

/// How the bot reaches a room: shared by `join` and `record`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Signaling server URL (ws:// or wss://).") var signaling: String
    @Option(help: "Room to join.") var room: String
    @Option(help: "Token for rooms on a server that requires one.") var token: String?
    @Option(help: "STUN server, e.g. stun:stun.example.org:3478.") var stun: [String] = []
    @Option(help: TurnServerOptions.turnHelp) var turn: [String] = []
    @Option(help: "TURN username.") var turnUser: String?
    @Option(help: "TURN password.") var turnPass: String?
    @Option(help: TurnServerOptions.caFileHelp) var turnTlsCaFile: String?
    @Flag(help: "Use only TURN relay candidates.") var relayOnly = false
    @Flag(help: "Also gather host candidates on loopback (peers on this machine).") var includeLoopback = false
    @OptionGroup var mediaPort: MediaPortOptions
    @OptionGroup var tcpPort: TCPPortOptions
    @Option(help: "Video codec to ask senders for: vp8, vp9 or h264 (the sender's choice when not given).")
    var videoCodec: VideoCodecOption?
    @Flag(help: ArgumentHelp(
        "On a plain relay server (one that does not answer join, such as the seeds' server), offer on joining.",
        discussion: "By default the bot only answers offers there: a caller already in a call would take an offer as a renegotiation of that call."))
    var offerInPlainRoom = false
    @Option(help: ArgumentHelp(
        "Participants connected at once, at most (1–10000).",
        discussion: "Those who arrive beyond it are not connected; the manifest's notes count them."))
    var maxParticipants = RoomSessionConfiguration.defaultMaximumParticipants

    func validate() throws {
        guard let scheme = URL(string: signaling)?.scheme, ["ws", "wss"].contains(scheme) else {
            throw ValidationError("--signaling must be a ws:// or wss:// URL")
        }
        if !turn.isEmpty, turnUser == nil || turnPass == nil { throw ValidationError("--turn needs --turn-user and --turn-pass") }
        if relayOnly, turn.isEmpty { throw ValidationError("--relay-only needs a --turn server") }
        try TurnServerOptions.validate(caFile: turnTlsCaFile)
        guard (1...10_000).contains(maxParticipants) else { throw ValidationError("--max-participants must be 1 to 10000") }
    }

    /// The room session these options describe; STUN and TURN names are resolved here.
    func roomConfiguration() throws -> RoomSessionConfiguration {
        var configuration = RoomSessionConfiguration(signaling: SignalingClientConfiguration(url: signaling, room: room, token: token))
        configuration.network.includeLoopback = includeLoopback
        configuration.offersInPlainRoom = offerInPlainRoom
        configuration.maximumParticipants = maxParticipants
        configuration.codecs.preferredVideo = videoCodec?.codec
        configuration.network.ice.relayOnly = relayOnly
        configuration.network.ice.announcedAddresses = try mediaPort.announcedAddresses()
        configuration.network.udpPort = try mediaPort.udpPort(defaultPort: UDPPortChoice.defaultPort)
        configuration.network.passiveTCPPort = try tcpPort.tcpPort(with: configuration.network.udpPort)
        do {
            configuration.network.ice.stunServers = try stun.map { try IceServerURL(parsing: $0).resolve() }
            configuration.network.ice.turnServers = try TurnServerOptions.servers(turn, username: turnUser, password: turnPass,
                                                                          caFile: turnTlsCaFile)
        } catch {
            throw ValidationError("\(error)")
        }
        return configuration
    }
}

/// `--video-codec`: the video codecs the recorder can depacketize and write.
enum VideoCodecOption: String, ExpressibleByArgument, CaseIterable {
    case vp8, vp9, h264

    var codec: SDP.SupportedCodec {
        switch self {
        case .vp8: .vp8
        case .vp9: .vp9
        case .h264: .h264
        }
    }
}
