import NIOCore
import RTC

extension TransportAddress {
    /// The peer of a received datagram, without heap allocation for IPv4 or IPv6. Reads the
    /// POSIX layouts by offset (sockaddr_in: family, port, address; sockaddr_in6: family, port,
    /// flow info, address), both in network byte order.
    init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            let (port, a, b, c, d) = withUnsafeBytes(of: v4.address) { raw in
                (UInt16(raw[2]) << 8 | UInt16(raw[3]), raw[4], raw[5], raw[6], raw[7])
            }
            self.init(ip: .v4(a, b, c, d), port: port)
        case .v6(let v6):
            let (port, high, low) = withUnsafeBytes(of: v6.address) { raw in
                (UInt16(raw[2]) << 8 | UInt16(raw[3]),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
            }
            self.init(ip: .v6(high: high, low: low), port: port)
        default:
            return nil
        }
    }

    var socketAddress: SocketAddress {
        get throws { try SocketAddress(ipAddress: ip.description, port: Int(port)) }
    }
}
