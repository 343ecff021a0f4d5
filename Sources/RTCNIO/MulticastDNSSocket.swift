#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import RTC

/// Where a driver's endpoint hears multicast DNS answers: a socket on port 5353 of every
/// address, a member of the mDNS group (224.0.0.251) on each interface of the endpoint's IPv4
/// bases. Chromium's responder answers only to the group, never to the querying socket (see
/// `MulticastDNSResolver`), so the queries' own sockets cannot hear it. The port is shared
/// (SO_REUSEADDR and SO_REUSEPORT, as Chromium's and avahi's sockets do): every socket on it
/// gets a copy of each multicast datagram, so any number of endpoints and responders coexist.
enum MulticastDNSSocket {
    /// Opens the socket; nil (with the reason) when this machine does not let us, in which case
    /// mDNS candidates can only be learned as peer-reflexive.
    static func open<Handler: ChannelHandler>(joiningOn bases: [TransportAddress], eventLoop: any EventLoop,
                                              makeHandler: @escaping @Sendable () -> Handler) async -> Result<any Channel, MulticastDNSUnavailable> {
        let interfaceAddresses = bases.map(\.ip).filter { !$0.isIPv6 && !$0.isLoopback }
        guard !interfaceAddresses.isEmpty else { return .failure(MulticastDNSUnavailable("no IPv4 interface to query on")) }
        let devices: [NIONetworkDevice]
        do {
            devices = try System.enumerateDevices().filter { device in
                guard let address = device.address.flatMap(TransportAddress.init) else { return false }
                return device.multicastSupported && interfaceAddresses.contains(address.ip)
            }
        } catch {
            return .failure(MulticastDNSUnavailable("cannot list network interfaces: \(error)"))
        }
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: eventLoop)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(makeHandler())
                    }
                }
                .bind(host: "0.0.0.0", port: Int(MulticastDNSResolver.port)).get()
        } catch {
            return .failure(MulticastDNSUnavailable("cannot bind UDP port \(MulticastDNSResolver.port): \(error)"))
        }
        var joined = 0
        var problems: [String] = []
        for device in devices {
            do {
                let group = try SocketAddress(ipAddress: "224.0.0.251", port: Int(MulticastDNSResolver.port))
                try await (channel as? any MulticastChannel)?.joinGroup(group, device: device).get()
                joined += 1
            } catch {
                problems.append("\(device.name): \(error)")
            }
        }
        guard joined > 0 else {
            try? await channel.close()
            return .failure(MulticastDNSUnavailable("cannot join the mDNS group: \(problems.joined(separator: "; "))"))
        }
        return .success(channel)
    }
}

public struct MulticastDNSUnavailable: Error, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Hands mDNS datagrams to the endpoint, then sends what that made it do (checks towards a
/// newly resolved candidate).
final class MulticastDNSHandler<Endpoint: DatagramEndpoint>: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let state: DriverState<Endpoint>

    init(state: DriverState<Endpoint>) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let endpoint = state.endpoint, !state.closed, let source = TransportAddress(envelope.remoteAddress) else { return }
        envelope.data.withUnsafeReadableBytes { endpoint.receiveMulticastDNS($0, from: source, now: .now) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        state.service()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Stray ICMP errors on a shared, connectionless port mean nothing to the endpoint.
    }
}
