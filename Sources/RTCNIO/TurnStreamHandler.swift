import NIOCore
import NIOSSL
import RTC

/// The end of a stream connection to a TURN server (after TLS, if any): cuts what arrives into
/// TURN messages for the endpoint, and says why the connection ended.
final class TurnStreamHandler<Endpoint: DatagramEndpoint>: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let key: TurnStreamKey
    private let connections: TurnStreamConnections<Endpoint>
    private var framer = TurnStreamFramer()
    /// The first error seen, which is why the connection closes.
    private var failure: String?

    init(key: TurnStreamKey, connections: TurnStreamConnections<Endpoint>) {
        self.key = key
        self.connections = connections
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let now = ContinuousClock.now
        do {
            try buffer.withUnsafeReadableBytes { bytes in
                try framer.receive(bytes) { connections.received($0, on: key, now: now) }
            }
        } catch {
            failure = failure ?? "\(error)"
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        connections.readComplete()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failure = failure ?? Self.describe(error, key: key)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connections.failed(key, reason: failure ?? "the server closed the connection")
        context.fireChannelInactive()
    }

    /// TLS failures in words a user can act on, the library's own text kept for the detail.
    static func describe(_ error: any Error, key: TurnStreamKey) -> String {
        guard case .tls(let tls) = key.transport else { return "\(error)" }
        let detail = "\(error)"
        if detail.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS certificate verification failed for \(tls.serverName): the server's certificate does not chain to the "
                + "system's trust store\(tls.trustedCAFile.map { " or to \($0)" } ?? "") (\(detail))"
        }
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "TLS certificate verification failed: the server's certificate does not name \(tls.serverName) (\(detail))"
        }
        return "TLS: \(detail)"
    }
}
