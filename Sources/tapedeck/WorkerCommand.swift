import ArgumentParser
import Foundation
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
    @Option(help: "Log level.") var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = ServiceLogging.logger(label: "tapedeck.worker", level: logLevel)
        let opened = try await OpenedJobStore.open(try options.databaseLocation(), logger: logger)
        let metrics = WorkerMetrics()
        let notifier = WebhookNotifier(store: opened.store, secret: ProcessInfo.processInfo.environment["TAPEDECK_WEBHOOK_SECRET"],
                                       metrics: metrics, logger: logger)
        let worker = JobWorker(store: opened.store, configuration: try options.workerConfiguration(), notifier: notifier,
                               metrics: metrics, logger: logger)
        var services: [any Service] = opened.service.map { [$0] } ?? []
        services += [notifier, worker] as [any Service]
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
