import Jobs
import Recorder
import Synchronization

/// Turns one attempt's manifest into the job's outputs and statistics — the earlier attempts'
/// plus this one's — and counts what is new since the last report into the metrics. Keeps the
/// manifest the recording reported last, in process (the disk's copy is for people and tools).
final class ProgressReports: Sendable {
    private let earlierOutputs: [JobOutput]
    private let earlierStatistics: JobStatistics?
    private let metrics: WorkerMetrics
    private let lastCounted = Mutex<JobStatistics?>(nil)
    private let latestManifest = Mutex<RecordingManifest?>(nil)

    init(earlierOutputs: [JobOutput], earlierStatistics: JobStatistics?, metrics: WorkerMetrics) {
        self.earlierOutputs = earlierOutputs
        self.earlierStatistics = earlierStatistics
        self.metrics = metrics
    }

    /// Keeps the manifest a progress report of the recording carried.
    func received(_ manifest: RecordingManifest) {
        latestManifest.withLock { $0 = manifest }
    }

    /// The latest manifest the recording reported, summed up; nil before its first report.
    var latestSummary: ManifestSummary? {
        latestManifest.withLock { $0 }.map(ManifestSummary.init)
    }

    func merged(_ summary: ManifestSummary) -> ([JobOutput], JobStatistics) {
        lastCounted.withLock { last in
            metrics.add(from: last, to: summary.statistics)
            last = summary.statistics
        }
        var statistics = summary.statistics
        if let earlier = earlierStatistics {
            statistics.packetsReceived += earlier.packetsReceived
            statistics.packetsLost += earlier.packetsLost
            statistics.packetsRecovered += earlier.packetsRecovered
            statistics.bytesWritten += earlier.bytesWritten
            statistics.participants = max(statistics.participants, earlier.participants)
        }
        return (earlierOutputs + summary.outputs, statistics)
    }
}
