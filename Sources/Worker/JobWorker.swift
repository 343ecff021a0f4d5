import CoreMetrics
import Foundation
import Jobs
import Logging
import Recorder
import ServiceLifecycle
import Synchronization

/// A worker: moves due scheduled jobs to the queue, takes back jobs whose worker died, and claims
/// queued jobs while their recipes' CPU cost fits in its capacity, running each as a `JobRun`.
/// On graceful shutdown (SIGTERM) it stops claiming, has every recording finish its files, and
/// gives the jobs back to the queue before returning.
public final class JobWorker: Service, Sendable {
    private let store: any JobStore
    private let configuration: WorkerConfiguration
    private let metrics: WorkerMetrics
    private let logger: Logger
    /// Cores taken by the recordings running now.
    private let load = Mutex<Double>(0)
    /// Whether claiming is paused for want of disk space (to log the change, not every poll).
    private let diskFull = Mutex(false)

    public init(store: any JobStore, configuration: WorkerConfiguration, metrics: WorkerMetrics, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.name)"
        self.logger = logger
    }

    public func run() async {
        let stopping = OneWayFlag()
        logger.info("worker started", metadata: ["capacity": "\(configuration.capacity)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                while !stopping.isRaised && !Task.isCancelled {
                    await tick(group: &group)
                    try? await Task.sleep(for: configuration.pollInterval)
                }
                logger.info("worker stopping: finishing the recordings it runs", metadata: ["running": "\(load.withLock { $0 })"])
                group.cancelAll()
            }
        } onGracefulShutdown: {
            stopping.raise()
        }
        logger.info("worker stopped")
    }

    private func tick(group: inout DiscardingTaskGroup) async {
        let now = Date()
        do {
            _ = try await store.promoteDueJobs(now: now)
            for job in try await store.reclaimExpiredLeases(now: now) {
                logger.warning("took back a job whose worker stopped renewing its lease",
                               metadata: ["job": "\(job.id)", "state": "\(job.state.rawValue)"])
            }
            guard hasDiskSpace() else { return }
            while true {
                let free = configuration.capacity - load.withLock { $0 }
                // The lease runs from before the claim was asked for, by this worker's reckoning.
                let asked = ContinuousClock.now
                guard free > 0, let job = try await store.claim(worker: configuration.name, capacity: free,
                                                                leaseDuration: configuration.leaseDuration, now: Date()) else { break }
                start(job, claimedAt: asked, in: &group)
            }
        } catch {
            logger.warning("cannot reach the job store", metadata: ["error": "\(error)"])
        }
    }

    /// Whether the data directory has room for another recording (`minimumFreeDiskBytes`).
    private func hasDiskSpace() -> Bool {
        guard configuration.minimumFreeDiskBytes > 0,
              let free = FreeDiskSpace.bytes(at: configuration.dataDirectory) else { return true }
        let enough = free >= configuration.minimumFreeDiskBytes
        let changed = diskFull.withLock { full in
            defer { full = !enough }
            return full == enough
        }
        if changed {
            if enough {
                logger.notice("free disk space is back: claiming jobs again", metadata: ["free_mib": "\(free >> 20)"])
            } else {
                logger.warning("claiming no jobs: the data directory is short of free space", metadata: [
                    "directory": "\(configuration.dataDirectory)", "free_mib": "\(free >> 20)",
                    "minimum_mib": "\(configuration.minimumFreeDiskBytes >> 20)",
                ])
            }
        }
        return enough
    }

    private func start(_ job: RecordingJob, claimedAt: ContinuousClock.Instant, in group: inout DiscardingTaskGroup) {
        load.withLock { $0 += job.cpuCost }
        metrics.activeRecordings.increment()
        let lease = LeaseWatch(leaseDuration: configuration.leaseDuration, heartbeatInterval: configuration.heartbeatInterval,
                               claimedAt: claimedAt)
        let run = JobRun(job: job, store: store, configuration: configuration, metrics: metrics, logger: logger, lease: lease)
        // Which claim this run is: two runs of one job never share a generation.
        logger.info("claimed", metadata: ["job": "\(job.id)", "generation": "\(job.leaseGeneration)",
                                          "attempt": "\(job.attempts)"])
        group.addTask {
            await run.run()
            self.load.withLock { $0 -= job.cpuCost }
            self.metrics.activeRecordings.decrement()
        }
    }
}
