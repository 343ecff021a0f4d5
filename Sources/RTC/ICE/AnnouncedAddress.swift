/// An address the bot is reached at that no interface carries: a 1:1 NAT's or a cloud node's
/// public address (`--public-ip`). Host candidates announce it in place of the interface address
/// (with the socket's port, which a port forward keeps); their base stays the socket, so checks
/// and media still leave from it.
public struct AnnouncedAddress: Sendable, Hashable, CustomStringConvertible {
    /// What peers are told.
    public var publicAddress: IPAddress
    /// The interface address it stands for; nil: every non-loopback interface of its family.
    public var privateAddress: IPAddress?

    public init(publicAddress: IPAddress, privateAddress: IPAddress? = nil) {
        self.publicAddress = publicAddress
        self.privateAddress = privateAddress
    }

    /// `PUBLIC` or `PUBLIC/PRIVATE`, IPv4 or IPv6 (both of one family).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let publicAddress = IPAddress(parts[0]) else { return nil }
        var privateAddress: IPAddress?
        if parts.count == 2 {
            guard let address = IPAddress(parts[1]), address.isIPv6 == publicAddress.isIPv6 else { return nil }
            privateAddress = address
        }
        self.init(publicAddress: publicAddress, privateAddress: privateAddress)
    }

    public var description: String { privateAddress.map { "\(publicAddress)/\($0)" } ?? "\(publicAddress)" }

    /// Whether a socket bound to `base` is the one this address stands for.
    func applies(to base: IPAddress) -> Bool {
        if let privateAddress { return privateAddress == base }
        return base.isIPv6 == publicAddress.isIPv6 && !base.isLoopback
    }
}

extension [AnnouncedAddress] {
    /// The address to announce for a socket bound to `base`: the first announced address that
    /// stands for it (a mapping naming the interface before a whole family's), else its own.
    func announced(for base: TransportAddress) -> TransportAddress {
        let match = first { $0.privateAddress == base.ip } ?? first { $0.applies(to: base.ip) }
        return match.map { TransportAddress(ip: $0.publicAddress, port: base.port) } ?? base
    }
}
