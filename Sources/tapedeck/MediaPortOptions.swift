import ArgumentParser
import RTC
import RTCNIO
import Recorder

/// Where peers reach the bot's media: the one UDP port all peers share and the public
/// addresses to announce. Shared by every command that makes peer connections.
struct MediaPortOptions: ParsableArguments {
    @Option(name: .customLong("rtc-udp-port"), help: ArgumentHelp(
        "UDP port for the media of every peer in this process (0: a random port per peer).",
        discussion: "Default 7882 (publish: 0). Publish this port in a container or firewall."))
    var rtcUDPPort: UInt16?
    @Option(name: .customLong("rtc-udp-port-range"), help: ArgumentHelp(
        "UDP ports LOW-HIGH instead of one port: peers are dealt out over them, each port on its own event loop (core).",
        discussion: "Size it to the cores; publish the whole range."))
    var rtcUDPPortRange: String?
    @Option(name: .customLong("public-ip"), help: ArgumentHelp(
        "Address peers reach this machine at, announced in place of the interface's (repeatable: IPv4 and IPv6).",
        discussion: "PUBLIC, or PUBLIC/PRIVATE for a 1:1 NAT mapping of one interface address. STUN candidates are still gathered."))
    var publicIP: [String] = []

    func validate() throws {
        _ = try announcedAddresses()
        if rtcUDPPortRange != nil, rtcUDPPort != nil {
            throw ValidationError("give --rtc-udp-port or --rtc-udp-port-range, not both")
        }
        _ = try portRange()
    }

    func udpPort(defaultPort: UInt16) throws -> UDPPortChoice {
        if let range = try portRange() { return .sharedRange(range) }
        return UDPPortChoice(port: rtcUDPPort ?? defaultPort)
    }

    private func portRange() throws -> ClosedRange<UInt16>? {
        guard let rtcUDPPortRange else { return nil }
        let bounds = rtcUDPPortRange.split(separator: "-", omittingEmptySubsequences: false).map { UInt16($0) }
        guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low > 0, low <= high, high - low < 1_024 else {
            throw ValidationError("--rtc-udp-port-range \(rtcUDPPortRange): expected LOW-HIGH, 1 <= LOW <= HIGH, at most 1024 ports")
        }
        return low...high
    }

    func announcedAddresses() throws -> [AnnouncedAddress] {
        try publicIP.map { text in
            guard let address = AnnouncedAddress(text) else {
                throw ValidationError("--public-ip \(text): expected an IP address, or PUBLIC/PRIVATE (two addresses of one family)")
            }
            return address
        }
    }
}

/// `--rtc-tcp-port`: where peers whose UDP is blocked connect (ICE-TCP, passive candidates).
/// Given to the commands that record or join (not `publish`, which connects as a browser does).
struct TCPPortOptions: ParsableArguments {
    @Option(name: .customLong("rtc-tcp-port"), help: ArgumentHelp(
        "TCP port peers connect to when UDP is blocked (ICE-TCP), e.g. 7881 (default 0: none).",
        discussion: "Off by default for now. Comes with one shared --rtc-udp-port (not a range, not 0). Publish this port too."))
    var rtcTCPPort: UInt16?

    /// The ICE-TCP port for peers on `udpPort` (0: none); refused when it is the UDP port.
    func tcpPort(with udpPort: UDPPortChoice) throws -> UInt16 {
        // Off unless asked: with it on, a participant whose mDNS name cannot be resolved (learned
        // only from its checks) failed to connect in test_join_mdns; until that is understood,
        // ICE-TCP is the operator's choice (compose turns it on).
        let port = rtcTCPPort ?? 0
        guard case .shared(let udp) = udpPort else { return 0 }
        if port != 0, port == udp {
            throw ValidationError("--rtc-tcp-port \(port) is the UDP port too: give them different numbers")
        }
        return port
    }
}

/// Binds the shared port before anything joins a room, so a port that is taken stops the
/// command at once with the fix, instead of failing every peer later.
enum SharedPortPreflight {
    static func bind(_ network: PeerNetworkConfiguration) async throws {
        try await bind(network.udpPort, passiveTCPPort: network.passiveTCPPort, ice: network.ice, includeLoopback: network.includeLoopback)
    }

    static func bind(_ choice: UDPPortChoice, passiveTCPPort: UInt16 = 0, ice: IceConfiguration,
                     includeLoopback: Bool) async throws {
        // TURN keeps ports of its own (see `UDPPortChoice.sockets(for:)`).
        guard ice.turnServers.isEmpty, !choice.sharedPorts.isEmpty else { return }
        let addresses = try LocalInterfaces.addresses(includeLoopback: includeLoopback)
        do {
            if case .shared(let number) = choice {
                let port = SharedUDPPorts.port(number, passiveTCPPort: passiveTCPPort)
                _ = try await port.bind(addresses)
                _ = try await port.listenPassiveTCP(addresses)
            } else {
                for port in choice.sharedPorts { _ = try await SharedUDPPorts.port(port).bind(addresses) }
            }
        } catch let error as MediaPortBindError {
            throw MediaPortUnavailable(reason: "\(error)", option: error.transport == .udp ? "--rtc-udp-port" : "--rtc-tcp-port")
        }
    }
}

struct MediaPortUnavailable: Error, CustomStringConvertible {
    var reason: String
    var option = "--rtc-udp-port"
    var description: String {
        option == "--rtc-udp-port"
            ? "\(reason). Another process (another tapedeck?) may hold the port: give this one another --rtc-udp-port, or --rtc-udp-port 0 for a random port per peer."
            : "\(reason). Another process (another tapedeck?) may hold the port: give this one another \(option), or \(option) 0 for none."
    }
}
