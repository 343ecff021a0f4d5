import API
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
    @Option(help: "Address for --metrics-port (a non-loopback address needs $TAPEDECK_API_TOKEN, which /metrics then requires).")
    var metricsHost = "127.0.0.1"
    @Flag(help: "Serve --metrics-port on a non-loopback address without $TAPEDECK_API_TOKEN: anyone who reaches it can read the worker's figures.")
    var allowUnauthenticated = false
    @Option(help: "Log level.") var logLevel: Logger.Level = .info
    @Option(help: "Log lines as text (key=value) or json (one object per line).") var logFormat: LogFormat = .text

    func validate() throws {
        if let metricsPort, !(0...65_535).contains(metricsPort) { throw ValidationError("--metrics-port must be 0...65535") }
        _ = try metricsToken()
    }

    /// `$TAPEDECK_API_TOKEN` for `/metrics`; required to serve it beyond loopback unless `--allow-unauthenticated`.
    func metricsToken(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BearerToken? {
        let token = environment["TAPEDECK_API_TOKEN"].flatMap(BearerToken.init)
        if metricsPort != nil, token == nil, !allowUnauthenticated, !ListenAddress.isLoopback(metricsHost) {
            throw ValidationError("""
                refusing to serve the worker's metrics on \(metricsHost) without authentication. \
                Set TAPEDECK_API_TOKEN to a random secret (e.g. `openssl rand -hex 32`; Prometheus then sends it as a bearer token), \
                or pass --allow-unauthenticated to run it open anyway
                """)
        }
        return token
    }

    func run() async throws {
        let logger = ServiceLogging.logger(label: "tapedeck.worker", level: logLevel, format: logFormat)
        let opened = try await OpenedJobStore.open(try options.databaseLocation(), logger: logger)
        let metrics = WorkerMetrics()
        let configuration = try options.workerConfiguration()
        try await SharedPortPreflight.bind(configuration.network)
        let deliverer = WebhookDeliverer(store: opened.store,
                                         configuration: try options.webhooks.delivererConfiguration(name: configuration.name, urlPolicy: configuration.urlPolicy),
                                         metrics: metrics, logger: logger)
        let worker = JobWorker(store: opened.store, configuration: configuration, metrics: metrics, logger: logger)
        var services: [any Service] = opened.service.map { [$0] } ?? []
        services.append(deliverer)
        if let retention = RetentionService.configured(by: options, store: opened.store, logger: logger) { services.append(retention) }
        if let metricsPort {
            services.append(WorkerMetricsServer.service(host: metricsHost, port: metricsPort, token: try metricsToken(),
                                                        metrics: metrics, store: opened.store, logger: logger))
        }
        services.append(worker)
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
