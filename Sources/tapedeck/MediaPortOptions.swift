import ArgumentParser
import RTC
import RTCNIO

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

/// Binds the shared port before anything joins a room, so a port that is taken stops the
/// command at once with the fix, instead of failing every peer later.
enum SharedPortPreflight {
    static func bind(_ choice: UDPPortChoice, ice: IceConfiguration, includeLoopback: Bool) async throws {
        // TURN keeps ports of its own (see `UDPPortChoice.sockets(for:)`).
        guard ice.turnServers.isEmpty, !choice.sharedPorts.isEmpty else { return }
        let addresses = try LocalInterfaces.addresses(includeLoopback: includeLoopback)
        do {
            for port in choice.sharedPorts { _ = try await SharedUDPPorts.port(port).bind(addresses) }
        } catch let error as SharedUDPPortBindError {
            throw MediaPortUnavailable(reason: "\(error)")
        }
    }
}

struct MediaPortUnavailable: Error, CustomStringConvertible {
    var reason: String
    var description: String {
        "\(reason). Another process (another tapedeck?) may hold the port: give this one another --rtc-udp-port, or --rtc-udp-port 0 for a random port per peer."
    }
}
