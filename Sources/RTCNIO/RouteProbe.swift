#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import RTC

/// Whether the kernel would send a datagram from a local address to a destination, asked
/// without sending anything: `connect()` on a throwaway UDP socket bound to the source looks the
/// route up and fails where `sendto()` would — ENETUNREACH (no route: a namespace or container
/// without a default route, multicast without a route), EINVAL (loopback source, remote
/// destination), EADDRNOTAVAIL.
///
/// The driver must know before it writes: NIO survives only EMSGSIZE and EHOSTUNREACH on a
/// datagram write and closes the channel on any other error, so one candidate on an unreachable
/// network would take down the socket and every candidate pair on it.
enum RouteProbe {
    static func canSend(from base: TransportAddress, to destination: SocketAddress) -> Bool {
        guard let family = destination.protocol.family else { return false }
        #if canImport(Glibc)
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        let descriptor = socket(family, SOCK_DGRAM, 0)
        #endif
        // Out of descriptors or the like: we cannot tell, so let the write decide as before.
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        if let source = try? SocketAddress(ipAddress: base.ip.description, port: 0) {
            let bound = source.withSockAddr { address, length in bind(descriptor, address, socklen_t(length)) }
            guard bound == 0 else { return false }
        }
        return destination.withSockAddr { address, length in connect(descriptor, address, socklen_t(length)) } == 0
    }
}

extension NIOBSDSocket.ProtocolFamily {
    /// The address family to open a socket in, for IPv4 and IPv6.
    fileprivate var family: Int32? {
        switch self {
        case .inet: AF_INET
        case .inet6: AF_INET6
        default: nil
        }
    }
}
