import NIOCore
import NIOPosix
import NIOSSL
import RTC

/// One stream connection's identity: the TURN server, how it is reached, and the base (UDP
/// socket) of the endpoint it was opened for, as the agent names them in `IceTransmit`.
struct TurnStreamKey: Hashable {
    var base: TransportAddress
    var server: TransportAddress
    var transport: TurnTransport
}

/// A driver's stream connections (TCP or TLS) to TURN servers, confined to its event loop. The
/// agent's messages for a server reached over a stream are framed onto the connection for that
/// server and base, opened when the first one is sent; what the server sends back is handed to
/// the endpoint message by message. A connection that closes, or never opens, is reported to the
/// endpoint once and not reopened: the allocation it carried is gone with it.
final class TurnStreamConnections<Endpoint: DatagramEndpoint> {
    private enum Connection {
        /// Messages sent while connecting (and shaking hands), written once connected.
        case connecting(queued: [ByteBuffer])
        case open(any Channel)
    }

    /// Far more than gathering sends before a server answers; beyond it, like a full socket
    /// buffer, messages are dropped and the agent's timers deal with the loss.
    private static var maximumQueued: Int { 64 }
    private static var connectTimeout: TimeAmount { .seconds(10) }

    private let eventLoop: any EventLoop
    private weak var driver: DriverState<Endpoint>?
    private var connections: [TurnStreamKey: Connection] = [:]
    /// Closed connections: their allocations are gone, and nothing more is sent there.
    private var closed: Set<TurnStreamKey> = []
    private var unflushed: [any Channel] = []

    init(eventLoop: any EventLoop, driver: DriverState<Endpoint>) {
        self.eventLoop = eventLoop
        self.driver = driver
    }

    /// Frames one message onto its connection (flushed by `flush`), opening it if need be.
    func send(_ transmit: IceTransmit) {
        let key = TurnStreamKey(base: transmit.base, server: transmit.destination, transport: transmit.transport)
        guard !closed.contains(key) else { return }
        switch connections[key] {
        case .open(let channel):
            // A connection that cannot keep up drops messages as a UDP socket would, rather
            // than queueing media without bound (and seconds of latency) in memory.
            guard channel.isWritable else { return }
            channel.write(framed(transmit.bytes, allocator: channel.allocator), promise: nil)
            unflushed.append(channel)
        case .connecting(var queued):
            guard queued.count < Self.maximumQueued else { return }
            connections[key] = nil  // no second reference while appending
            queued.append(framed(transmit.bytes, allocator: ByteBufferAllocator()))
            connections[key] = .connecting(queued: queued)
        case nil:
            connections[key] = .connecting(queued: [framed(transmit.bytes, allocator: ByteBufferAllocator())])
            open(key)
        }
    }

    func flush() {
        guard !unflushed.isEmpty else { return }
        for channel in unflushed { channel.flush() }
        unflushed.removeAll(keepingCapacity: true)
    }

    /// Closes every connection, reporting nothing: the endpoint is closing too.
    func closeAll() -> [any Channel] {
        closed.formUnion(connections.keys)
        let channels = connections.values.compactMap { connection -> (any Channel)? in
            if case .open(let channel) = connection { channel } else { nil }
        }
        connections.removeAll()
        return channels
    }

    private func framed(_ message: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        let length = TurnStreamFramer.framedLength(ofOutgoing: message)
        var buffer = allocator.buffer(capacity: length)
        buffer.writeBytes(message)
        buffer.writeRepeatingByte(0, count: length - message.count)
        return buffer
    }

    private func open(_ key: TurnStreamKey) {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let connect: EventLoopFuture<any Channel>
        do {
            let remote = try key.server.socketAddress
            let local = try TransportAddress(ip: key.base.ip, port: 0).socketAddress
            // Made (or found made) before connecting, so a bad trust setting fails here, named.
            let tls = try key.transport.tlsHandlerFactory()
            connect = ClientBootstrap(group: eventLoop)
                .connectTimeout(Self.connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(to: local)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try channel.pipeline.syncOperations.addHandler(try tls()) }
                        try channel.pipeline.syncOperations.addHandler(TurnStreamHandler(key: key, connections: bound.value))
                    }
                }
                .connect(to: remote)
        } catch {
            failed(key, reason: "\(error)")
            return
        }
        connect.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel): bound.value.connected(key, channel: channel)
            case .failure(let error): bound.value.failed(key, reason: "cannot connect: \(error)")
            }
        }
    }

    private func connected(_ key: TurnStreamKey, channel: any Channel) {
        guard case .connecting(let queued) = connections[key] else {
            channel.close(promise: nil)  // closed meanwhile
            return
        }
        connections[key] = .open(channel)
        // NIOSSL holds these until its handshake is done, and fails them if it fails.
        for buffer in queued { channel.write(buffer, promise: nil) }
        channel.flush()
    }

    /// The connection is gone (or never came): tell the endpoint, once.
    func failed(_ key: TurnStreamKey, reason: String) {
        guard !closed.contains(key) else { return }
        closed.insert(key)
        connections[key] = nil
        driver?.turnStreamClosed(key, reason: reason)
    }

    /// A message the server sent.
    func received(_ message: UnsafeRawBufferPointer, on key: TurnStreamKey, now: ContinuousClock.Instant) {
        driver?.receive(turnMessage: message, on: key, now: now)
    }

    /// The end of a read batch: send what the endpoint answered.
    func readComplete() {
        driver?.service()
    }
}

extension TurnTransport {
    /// For TLS, what makes the connection's client handler: SNI and verification of the name in
    /// the URL (an IP address is verified against the certificate's addresses, and not sent as
    /// SNI, which carries only names).
    fileprivate func tlsHandlerFactory() throws -> (@Sendable () throws -> NIOSSLClientHandler)? {
        guard case .tls(let tls) = self else { return nil }
        let context = try TurnTLSContexts.context(trustedCAFile: tls.trustedCAFile)
        let serverName = IPAddress(tls.serverName) == nil ? tls.serverName : nil
        return { try NIOSSLClientHandler(context: context, serverHostname: serverName) }
    }
}
