import API
import ArgumentParser
import Foundation
import Hummingbird
import Jobs
import Logging
import Media
import Recorder
import ServiceLifecycle
import UnixSignals
import Worker

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the recording service: the REST API, the scheduler and embedded workers.",
        discussion: """
            POST /v1/recordings records a room now or at start_at; see GET /openapi.yaml. On one box \
            the default needs no other service: jobs are kept in SQLite under --data. A fleet shares \
            a PostgreSQL --database with `tapedeck worker` processes. The API requires \
            `Authorization: Bearer $TAPEDECK_API_TOKEN` when that variable is set; webhook events are \
            kept in the jobs database until delivered, signed with $TAPEDECK_WEBHOOK_SECRET. \
            SIGTERM finishes the recordings' files and gives their jobs back to the queue.
            """)

    @Option(help: "Address to listen on (0.0.0.0 in a container; a non-loopback address needs $TAPEDECK_API_TOKEN).")
    var host = "127.0.0.1"
    @Flag(help: "Listen on a non-loopback address without $TAPEDECK_API_TOKEN: anyone who reaches the port can start, read and delete recordings.")
    var allowUnauthenticated = false
    @Option(help: "Port to listen on (0: any free port).") var port = 8080
    @Option(help: "Embedded workers (0: the API and scheduler only).") var workers = 1
    @OptionGroup var options: WorkerOptions
    @Option(help: "Log level.") var logLevel: Logger.Level = .info
    @Option(help: "Log lines as text (key=value) or json (one object per line).") var logFormat: LogFormat = .text

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard workers >= 0 else { throw ValidationError("--workers must be 0 or more") }
        _ = try apiToken()
    }

    /// `$TAPEDECK_API_TOKEN`, required to listen beyond loopback unless `--allow-unauthenticated`.
    func apiToken(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        let token = environment["TAPEDECK_API_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if token == nil, !allowUnauthenticated, !ListenAddress.isLoopback(host) {
            throw ValidationError("""
                refusing to serve the API on \(host) without authentication: anyone who reaches it could start, read and delete recordings.                 Set TAPEDECK_API_TOKEN to a random secret (e.g. `openssl rand -hex 32`), or pass --allow-unauthenticated to run it open anyway
                """)
        }
        return token
    }

    func run() async throws {
        let logger = ServiceLogging.logger(label: "tapedeck.serve", level: logLevel, format: logFormat)
        let environment = ProcessInfo.processInfo.environment
        let opened = try await OpenedJobStore.open(try options.databaseLocation(), logger: logger)
        let store = opened.store
        let metrics = WorkerMetrics()
        let token = try apiToken(environment: environment)
        if token == nil {
            logger.warning("TAPEDECK_API_TOKEN is not set: the API accepts requests from anyone who can reach it")
        }
        let api = RecordingsAPI(
            store: store, recipes: ServiceRecipes.costs, bearerToken: token,
            maxAttempts: options.maxAttempts,
            files: StoredRecordingCopies.fileAccess(dataDirectory: options.data, storage: try options.storageConfiguration()),
            urlPolicy: try options.urls.policy(),
            readiness: { _ = try await store.countByState() },
            metricsText: { await metrics.exposition(store: store) })
        let host = self.host
        let app = Application(
            router: api.makeRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "tapedeck"),
            onServerRunning: { channel in
                // One line on stdout that scripts can wait for and parse.
                print("tapedeck serve listening on http://\(host):\(channel.localAddress?.port ?? 0)")
                fflush(nil)
            },
            logger: logger)
        let baseName = WorkerConfiguration.defaultName()
        let deliverer = WebhookDeliverer(store: store, configuration: try options.webhooks.delivererConfiguration(name: baseName, urlPolicy: try options.urls.policy()),
                                         metrics: metrics, logger: logger)
        if workers > 0 {
            let worker = try options.workerConfiguration()
            try await SharedPortPreflight.bind(worker.network)
        }
        let jobWorkers = try (0..<workers).map { index in
            JobWorker(store: store, configuration: try options.workerConfiguration(name: workers == 1 ? baseName : "\(baseName)-\(index + 1)"),
                      metrics: metrics, logger: logger)
        }
        // Shut down in reverse: the workers finish their recordings first, while the API, the
        // webhooks and the database are still there.
        var services: [any Service] = opened.service.map { [$0] } ?? []
        services += [deliverer, app] as [any Service]
        if let retention = RetentionService.configured(by: options, store: store, logger: logger) { services.append(retention) }
        services += jobWorkers as [any Service]
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// The recipes jobs may name: the built-in ones, with their CPU cost.
enum ServiceRecipes {
    static let costs = RecipeCosts(names: RecipeCatalog.builtInNames) { name in
        try? RecipeCatalog.named(name).cpuCost
    }
}
