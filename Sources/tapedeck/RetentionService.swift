import Foundation
import Jobs
import Logging
import ServiceLifecycle

/// Runs the retention sweep (`--retention-days`) under the service group, until shutdown.
struct RetentionService: Service {
    let sweep: RetentionSweep

    /// The sweep `options` ask for, or nil without `--retention-days`.
    static func configured(by options: WorkerOptions, store: any JobStore, logger: Logger) -> RetentionService? {
        guard let retention = options.retention else { return nil }
        logger.info("retention: the files of recordings that ended more than \(retention) ago are deleted")
        return RetentionService(sweep: RetentionSweep(
            store: store, purger: JobFilesPurger(dataDirectory: options.data), retention: retention,
            interval: .seconds(options.retentionSweepSeconds), logger: logger))
    }

    func run() async throws {
        await cancelWhenGracefulShutdown { await sweep.run() }
    }
}
