import NIOCore
import RTC

/// The addresses the bot gathers host candidates on.
public enum LocalInterfaces {
    /// Every up interface's IPv4 and global/ULA IPv6 addresses; loopback only when asked (tests
    /// on one machine) or when nothing else exists. Link-local IPv6 is skipped: it needs a scope.
    public static func addresses(includeLoopback: Bool = false) throws -> [IPAddress] {
        var found: [IPAddress] = []
        var loopback: [IPAddress] = []
        for device in try System.enumerateDevices() {
            guard let address = device.address, let transport = TransportAddress(address) else { continue }
            let ip = transport.ip
            if case .v6(let high, _) = ip, high >> 54 == 0x3FA { continue }  // fe80::/10
            if ip.isLoopback {
                loopback.append(ip)
            } else if !found.contains(ip) {
                found.append(ip)
            }
        }
        if includeLoopback || found.isEmpty { found += loopback.filter { !found.contains($0) } }
        return found
    }
}
