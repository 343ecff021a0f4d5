import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP server on 127.0.0.1 that answers each request with the next of a script of
/// responses (the last one repeats), and records what it received: for seeing what the client
/// does with failures a real S3 server will not produce on demand.
final class ScriptedHTTPServer: Sendable {
    struct Response: Sendable {
        var status: HTTPResponseStatus
        var headers: [(String, String)] = []
        var body = ""
    }

    struct Received: Sendable {
        var method: HTTPMethod
        var uri: String
        var bodyLength: Int
    }

    let port: Int
    private let channel: any Channel
    private let state: NIOLockedValueBox<(script: [Response], received: [Received])>

    var received: [Received] { state.withLockedValue { $0.received } }

    init(script: [Response]) async throws {
        let state = NIOLockedValueBox((script: script, received: [Received]()))
        self.state = state
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    func close() async throws { try await channel.close() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let state: NIOLockedValueBox<(script: [Response], received: [Received])>
        var head: HTTPRequestHead?
        var bodyLength = 0

        init(state: NIOLockedValueBox<(script: [Response], received: [Received])>) { self.state = state }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                bodyLength = 0
            case .body(let buffer):
                bodyLength += buffer.readableBytes
            case .end:
                guard let head else { return }
                let response = state.withLockedValue { state in
                    state.received.append(Received(method: head.method, uri: head.uri, bodyLength: bodyLength))
                    return state.script.count > 1 ? state.script.removeFirst() : state.script[0]
                }
                var headers = HTTPHeaders(response.headers)
                headers.add(name: "content-length", value: String(response.body.utf8.count))
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: response.status, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
