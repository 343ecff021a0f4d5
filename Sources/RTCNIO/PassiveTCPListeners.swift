import NIOCore
import NIOPosix
import RTC

/// The shared port's ICE-TCP listening sockets (RFC 6544 passive candidates), one per local
/// address, bound on first use like the port's UDP sockets and on the same event loop: accepted
/// connections live there too, so a claimed connection's frames reach their peer without a hop.
actor PassiveTCPListeners {
    let port: UInt16
    let eventLoop: any EventLoop
    private let bindings = BindingsByAddress()

    init(port: UInt16, eventLoop: any EventLoop) {
        self.port = port
        self.eventLoop = eventLoop
    }

    func base(on address: IPAddress, state: NIOLoopBoundBox<SharedPortState>) async throws -> TransportAddress {
        let port = self.port, eventLoop = self.eventLoop
        return try await bindings.base(on: address) {
            try await Self.listen(on: address, port: port, eventLoop: eventLoop, state: state)
        }
    }

    private static func listen(on address: IPAddress, port: UInt16, eventLoop: any EventLoop,
                               state: NIOLoopBoundBox<SharedPortState>) async throws -> TransportAddress {
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: eventLoop)
                // TIME_WAIT connections of a previous run must not keep the port; a live
                // listener of another process still does (Linux refuses a second listener).
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 128)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                // The bounded queue of a connection: past the high mark it is not writable and
                // frames are dropped, as a full UDP socket buffer would drop datagrams.
                .childChannelOption(.writeBufferWaterMark, value: PassiveTCPConnectionHandler.writeBufferWaterMark)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = try PassiveTCPConnectionHandler(channel: channel, state: state.value)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .bind(host: address.description, port: Int(port)).get()
        } catch {
            throw MediaPortBindError(transport: .tcp, address: address, port: port, underlying: error)
        }
        guard let base = channel.localAddress.flatMap(TransportAddress.init) else {
            try? await channel.close()
            throw MediaPortBindError(transport: .tcp, address: address, port: port, underlying: nil)
        }
        try await eventLoop.submit { state.value.tcpListeners[base] = channel }.get()
        return base
    }
}
