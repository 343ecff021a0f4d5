import AsyncHTTPClient
import Foundation
import Jobs
import Logging
import CoreMetrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Delivers webhook events: POSTs each to the job's `webhook_url`, signed, retrying with
/// exponential backoff until the receiver answers 2xx or the attempts run out. Every attempt is
/// recorded on the job (`webhook_deliveries`). Deliveries run beside the recordings and never
/// hold one up.
///
/// At a graceful shutdown (the workers have stopped by then, their last events queued) the
/// deliveries under way, retries included, get `Policy.shutdownGrace` to get through; a retry
/// that would start later is given up, and what is left at the deadline is cancelled. Each
/// give-up is logged, and the attempts made are on the job.
public final class WebhookNotifier: Service, Sendable {
    public struct Policy: Sendable {
        public var attempts = 6
        /// The wait before the second attempt; it doubles before each further one.
        public var firstRetryDelay: Duration = .seconds(1)
        public var timeout: Duration = .seconds(10)
        /// How long deliveries under way may go on after a graceful shutdown began: short enough
        /// for a container's stop timeout (Docker's is 10 s), long enough for a retry or two.
        public var shutdownGrace: Duration = .seconds(5)
        public init() {}
    }

    /// The deliveries under way (each removes itself when done), and the shutdown's deadline.
    private struct Deliveries {
        var underWay: [Int: Task<Void, Never>] = [:]
        var lastNumber = 0
        var deadline: ContinuousClock.Instant?
    }

    private let store: any JobStore
    private let signature: WebhookSignature?
    private let policy: Policy
    private let metrics: WorkerMetrics
    private let logger: Logger
    private let pending: AsyncStream<(WebhookEventType, RecordingJob)>
    private let submit: AsyncStream<(WebhookEventType, RecordingJob)>.Continuation
    private let deliveries = Mutex(Deliveries())

    /// `secret`: the key of the `Tapedeck-Signature` header (nil: deliveries are unsigned).
    public init(store: any JobStore, secret: String?, policy: Policy = Policy(), metrics: WorkerMetrics, logger: Logger) {
        self.store = store
        signature = secret.map(WebhookSignature.init(secret:))
        self.policy = policy
        self.metrics = metrics
        self.logger = logger
        (pending, submit) = AsyncStream.makeStream()
    }

    /// Queues `type` for the job's webhook, if it has one.
    public func notify(_ type: WebhookEventType, job: RecordingJob) {
        guard job.spec.webhookURL != nil else { return }
        submit.yield((type, job))
    }

    /// Delivers events as they come, each job's in order: a job's `recording.completed` is not
    /// sent before its `recording.started` got through or gave up, so receivers need not reorder.
    /// Returns after a graceful shutdown, once the deliveries under way are done or their grace is over.
    public func run() async {
        var lastOfJob: [String: Task<Void, Never>] = [:]
        for await (type, job) in pending.cancelOnGracefulShutdown() {
            let previous = lastOfJob[job.id]
            // Made under the lock, so that the task's removal of itself comes after its insertion.
            let delivery = deliveries.withLock { state in
                state.lastNumber += 1
                let number = state.lastNumber
                let delivery = Task { [self] in
                    await previous?.value
                    await deliver(type, job: job)
                    deliveries.withLock { _ = $0.underWay.removeValue(forKey: number) }
                }
                state.underWay[number] = delivery
                return delivery
            }
            // Nothing follows a job's last event, so its chain need not be kept.
            lastOfJob[job.id] = type == .started ? delivery : nil
        }
        await finishDeliveries()
    }

    private func finishDeliveries() async {
        let deadline = ContinuousClock.now + policy.shutdownGrace
        deliveries.withLock { $0.deadline = deadline }
        while ContinuousClock.now < deadline, !Task.isCancelled, !deliveries.withLock({ $0.underWay.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let left = deliveries.withLock { state in
            defer { state.underWay.removeAll() }
            return Array(state.underWay.values)
        }
        guard !left.isEmpty else { return }
        logger.warning("shutting down with webhook deliveries under way; giving them up", metadata: ["count": "\(left.count)"])
        for delivery in left { delivery.cancel() }
        for delivery in left { await delivery.value }
    }

    /// Whether a retry after `delay` would start after the shutdown's deadline.
    private func isPastShutdownDeadline(after delay: Duration) -> Bool {
        guard let deadline = deliveries.withLock({ $0.deadline }) else { return false }
        return ContinuousClock.now + delay > deadline
    }

    private func deliver(_ type: WebhookEventType, job: RecordingJob) async {
        guard let url = job.spec.webhookURL else { return }
        let event = WebhookEvent(type: type, job: job, at: Date())
        let body: Data
        do {
            body = try event.body()
        } catch {
            logger.error("cannot encode webhook event", metadata: ["job": "\(job.id)", "error": "\(error)"])
            return
        }
        var delay = policy.firstRetryDelay
        for attempt in 1...policy.attempts {
            let outcome = await post(body, to: url)
            let delivery = WebhookDelivery(event: type.rawValue, attempt: attempt, at: Date(), status: outcome.status,
                                           error: outcome.error)
            do {
                try await store.recordWebhookDelivery(id: job.id, delivery)
            } catch {
                logger.warning("cannot record a webhook delivery", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
            if delivery.succeeded { return }
            metrics.webhookFailures.increment()
            logger.warning("webhook delivery failed", metadata: [
                "job": "\(job.id)", "event": "\(type.rawValue)", "attempt": "\(attempt)",
                "reason": "\(outcome.error ?? "HTTP \(outcome.status ?? 0)")",
            ])
            guard attempt < policy.attempts else { break }
            // A retry that would start after the shutdown's deadline, or a wait cut short by it.
            let waited: Void? = isPastShutdownDeadline(after: delay) ? nil : try? await Task.sleep(for: delay)
            guard waited != nil else {
                logger.error("webhook not delivered before shutdown; giving up",
                             metadata: ["job": "\(job.id)", "event": "\(type.rawValue)", "attempts": "\(attempt)"])
                return
            }
            delay *= 2
        }
        logger.error("webhook not delivered; giving up", metadata: ["job": "\(job.id)", "event": "\(type.rawValue)"])
    }

    private func post(_ body: Data, to url: String) async -> (status: Int?, error: String?) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Tapedeck-Webhook/1")
        if let signature {
            request.headers.add(name: WebhookSignature.headerName,
                                value: signature.header(body: body, timestamp: Int(Date().timeIntervalSince1970)))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .init(policy.timeout))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), nil)
        } catch {
            return (nil, "\(error)")
        }
    }
}
