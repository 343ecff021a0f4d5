import CoreMetrics
import Jobs
import Prometheus

/// The figures `/metrics` shows, through swift-metrics into one Prometheus registry (not the
/// global `MetricsSystem`: a process may hold several, e.g. in tests).
public final class WorkerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let activeRecordings: CoreMetrics.Meter
    let packetsReceived: CoreMetrics.Counter
    let packetsLost: CoreMetrics.Counter
    let packetsRecovered: CoreMetrics.Counter
    let bytesWritten: CoreMetrics.Counter
    let webhookFailures: CoreMetrics.Counter
    /// Webhook events neither delivered nor given up, fleet-wide (read from the store).
    private let webhookEventsPending: CoreMetrics.Gauge
    private let jobsByState: [JobState: CoreMetrics.Gauge]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let factory = PrometheusMetricsFactory(registry: registry)
        activeRecordings = CoreMetrics.Meter(label: "tapedeck_active_recordings", factory: factory)
        packetsReceived = CoreMetrics.Counter(label: "tapedeck_packets_received_total", factory: factory)
        packetsLost = CoreMetrics.Counter(label: "tapedeck_packets_lost_total", factory: factory)
        packetsRecovered = CoreMetrics.Counter(label: "tapedeck_packets_recovered_total", factory: factory)
        bytesWritten = CoreMetrics.Counter(label: "tapedeck_bytes_written_total", factory: factory)
        webhookFailures = CoreMetrics.Counter(label: "tapedeck_webhook_failures_total", factory: factory)
        webhookEventsPending = CoreMetrics.Gauge(label: "tapedeck_webhook_events_pending", factory: factory)
        var jobsByState: [JobState: CoreMetrics.Gauge] = [:]
        for state in JobState.allCases {
            jobsByState[state] = CoreMetrics.Gauge(label: "tapedeck_jobs", dimensions: [("state", state.rawValue)], factory: factory)
        }
        self.jobsByState = jobsByState
    }

    /// Counts this recording's progress since its previous report.
    func add(from previous: JobStatistics?, to current: JobStatistics) {
        func delta(_ field: KeyPath<JobStatistics, Int>) -> Int { max(current[keyPath: field] - (previous?[keyPath: field] ?? 0), 0) }
        packetsReceived.increment(by: delta(\.packetsReceived))
        packetsLost.increment(by: delta(\.packetsLost))
        packetsRecovered.increment(by: delta(\.packetsRecovered))
        bytesWritten.increment(by: delta(\.bytesWritten))
    }

    /// The Prometheus text exposition, with the jobs-by-state and pending-webhook gauges read from
    /// `store` first (the store is shared by the fleet, so every process reports the fleet's).
    public func exposition(store: any JobStore) async -> String {
        if let counts = try? await store.countByState() {
            for (state, gauge) in jobsByState { gauge.record(counts[state] ?? 0) }
        }
        if let pending = try? await store.pendingWebhookEventCount() {
            webhookEventsPending.record(pending)
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
