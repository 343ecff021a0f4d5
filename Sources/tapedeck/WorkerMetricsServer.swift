import API
import Foundation
import Hummingbird
import Jobs
import Logging
import ServiceLifecycle
import Worker

/// A worker's own figures (packets, bytes, active recordings) for Prometheus to scrape — the API
/// process cannot see them — and `/healthz` for its orchestrator. With `TAPEDECK_API_TOKEN` set,
/// `/metrics` wants it as a bearer token, as the API's does; `/healthz` stays open for probes and
/// says nothing but ok.
enum WorkerMetricsServer {
    static func service(host: String, port: Int, token: BearerToken?, metrics: WorkerMetrics, store: any JobStore,
                        logger: Logger) -> some Service {
        let router = Router()
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/metrics") { request, _ in
            if let token {
                do throws(APIProblem) {
                    try token.accepts(authorization: request.headers[.authorization])
                } catch {
                    return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer", .contentType: "text/plain"],
                                    body: .init(byteBuffer: ByteBuffer(string: "\(error.detail)\n")))
                }
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: await metrics.exposition(store: store))))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "tapedeck-worker"),
                           onServerRunning: { channel in
                               print("tapedeck worker metrics on http://\(host):\(channel.localAddress?.port ?? 0)/metrics")
                               fflush(nil)
                           }, logger: logger)
    }
}
