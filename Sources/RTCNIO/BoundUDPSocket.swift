import Glibc
import NIOCore
import RTC

/// A UDP socket the shared port binds itself, so that it knows the descriptor its
/// `DatagramBatchReader` drains; NIO takes it over (`DatagramBootstrap.withBoundSocket`) for
/// readiness and writes. Non-blocking, closed on exec, no SO_REUSEADDR: a second process on the
/// port must fail to bind, not silently share (or steal) the first one's datagrams.
enum BoundUDPSocket {
    static func make(_ address: IPAddress, port: UInt16) throws(IOError) -> CInt {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let socket = Glibc.socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        let result = withSocketAddress(address, port: port) { Glibc.bind(socket, $0, $1) }
        guard result == 0 else {
            let code = errno
            close(socket)
            throw IOError(errnoCode: code, reason: "bind")
        }
        return socket
    }

    /// `address` and `port` as the sockaddr (`sockaddr_in` or `sockaddr_in6`) the socket calls take.
    static func withSocketAddress<Result>(_ address: IPAddress, port: UInt16,
                                          _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        switch address {
        case .v4(let a, let b, let c, let d):
            var name = sockaddr_in()
            name.sin_family = sa_family_t(AF_INET)
            name.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &name.sin_addr) { $0.copyBytes(from: [a, b, c, d]) }
            return withUnsafePointer(to: &name) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(let high, let low):
            var name = sockaddr_in6()
            name.sin6_family = sa_family_t(AF_INET6)
            name.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &name.sin6_addr) { bytes in
                bytes.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
                bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            return withUnsafePointer(to: &name) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}
