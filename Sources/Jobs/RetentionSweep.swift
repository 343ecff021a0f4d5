import Foundation
import Logging

/// Deletes the files of jobs that ended more than `retention` ago (`--retention-days`), at start
/// and then every `interval`. Only ended jobs are ever considered, so a running recording's
/// files are never touched. Every process that has the flag sweeps; two sweeping at once purge
/// the same job twice at worst, which deletes nothing more.
public struct RetentionSweep: Sendable {
    public let store: any JobStore
    public let purger: JobFilesPurger
    public let retention: Duration
    public let interval: Duration
    private let clock: @Sendable () -> Date
    private let logger: Logger

    /// How many jobs one query takes; a sweep repeats it while a whole batch was purged.
    static let batchSize = 100

    public init(store: any JobStore, purger: JobFilesPurger, retention: Duration, interval: Duration = .seconds(3600),
                now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.store = store
        self.purger = purger
        self.retention = retention
        self.interval = interval
        self.clock = now
        self.logger = logger
    }

    /// Sweeps now, then every `interval`, until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            await sweep()
            try? await Task.sleep(for: interval)
        }
    }

    /// Purges every job that ended before now minus `retention`; returns those purged. A job
    /// whose files cannot be deleted is logged and left for the next sweep.
    @discardableResult
    public func sweep() async -> [RecordingJob] {
        let now = clock()
        let cutoff = now.addingTimeInterval(-Double(retention.wholeMilliseconds) / 1000)
        var purged: [RecordingJob] = []
        var failed: Set<String> = []
        while !Task.isCancelled {
            // Jobs that failed this sweep come back first (the longest ended first), so the batch
            // is enlarged by as many to still reach new ones.
            let limit = Self.batchSize + failed.count
            let batch: [RecordingJob]
            do {
                batch = try await store.jobsWithFilesToPurge(endedBefore: cutoff, limit: limit)
            } catch {
                logger.error("retention sweep: \(error)")
                break
            }
            let due = batch.filter { !failed.contains($0.id) }
            for job in due {
                do {
                    purged.append(try await purger.purge(job, in: store, now: now))
                    logger.info("retention sweep: deleted the files of job \(job.id), ended \(job.endedAt.map { "\($0)" } ?? "?")")
                } catch {
                    failed.insert(job.id)
                    logger.error("retention sweep: \(error)")
                }
            }
            if due.isEmpty || batch.count < limit { break }
        }
        return purged
    }
}
