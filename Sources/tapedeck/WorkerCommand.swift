import ArgumentParser
import Foundation
import Hummingbird
import Jobs
import Logging
import ServiceLifecycle
import UnixSignals
import Worker

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker: claim recording jobs from a shared database and record them.",
        discussion: """
            Workers of a fleet share one PostgreSQL --database (and the --data volume, so that a job \
            taken over after its worker died continues in the same folder). Each claims queued jobs \
            while their recipes' CPU cost fits in --capacity, and renews its lease on them; a job \
            whose worker stops renewing goes to another worker. SIGTERM finishes the recordings' \
            files and gives their jobs back to the queue.
            """)

    @OptionGroup var options: WorkerOptions
    @Option(help: "Serve GET /healthz and GET /metrics (Prometheus: this worker's recordings) on this port.")
    var metricsPort: Int?
    @Option(help: "Address for --metrics-port.") var metricsHost = "127.0.0.1"
    @Option(help: "Log level.") var logLevel: Logger.Level = .info
    @Option(help: "Log lines as text (key=value) or json (one object per line).") var logFormat: LogFormat = .text

    func validate() throws {
        if let metricsPort, !(0...65_535).contains(metricsPort) { throw ValidationError("--metrics-port must be 0...65535") }
    }

    func run() async throws {
        let logger = ServiceLogging.logger(label: "tapedeck.worker", level: logLevel, format: logFormat)
        let opened = try await OpenedJobStore.open(try options.databaseLocation(), logger: logger)
        let metrics = WorkerMetrics()
        let configuration = try options.workerConfiguration()
        try await SharedPortPreflight.bind(configuration.udpPort, ice: configuration.ice, includeLoopback: configuration.includeLoopback)
        let deliverer = WebhookDeliverer(store: opened.store,
                                         configuration: try options.webhooks.delivererConfiguration(name: configuration.name, urlPolicy: configuration.urlPolicy),
                                         metrics: metrics, logger: logger)
        let worker = JobWorker(store: opened.store, configuration: configuration, metrics: metrics, logger: logger)
        var services: [any Service] = opened.service.map { [$0] } ?? []
        services.append(deliverer)
        if let retention = RetentionService.configured(by: options, store: opened.store, logger: logger) { services.append(retention) }
        if let metricsPort {
            services.append(metricsServer(port: metricsPort, metrics: metrics, store: opened.store, logger: logger))
        }
        services.append(worker)
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The worker's own figures (packets, bytes, active recordings) for Prometheus to scrape;
    /// the API process cannot see them.
    private func metricsServer(port: Int, metrics: WorkerMetrics, store: any JobStore, logger: Logger) -> some Service {
        let router = Router()
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: await metrics.exposition(store: store))))
        }
        let host = metricsHost
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "tapedeck-worker"),
                           onServerRunning: { channel in
                               print("tapedeck worker metrics on http://\(host):\(channel.localAddress?.port ?? 0)/metrics")
                               fflush(nil)
                           }, logger: logger)
    }
}
