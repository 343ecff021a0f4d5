import AsyncHTTPClient
import Foundation
import Jobs
import Logging
import CoreMetrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Delivers webhook events: POSTs each to the job's `webhook_url`, signed, retrying with
/// exponential backoff until the receiver answers 2xx or the attempts run out. Every attempt is
/// recorded on the job (`webhook_deliveries`). Deliveries run beside the recordings and never
/// hold one up.
public final class WebhookNotifier: Service, Sendable {
    public struct Policy: Sendable {
        public var attempts = 6
        /// The wait before the second attempt; it doubles before each further one.
        public var firstRetryDelay: Duration = .seconds(1)
        public var timeout: Duration = .seconds(10)
        public init() {}
    }

    private let store: any JobStore
    private let signature: WebhookSignature?
    private let policy: Policy
    private let metrics: WorkerMetrics
    private let logger: Logger
    private let pending: AsyncStream<(WebhookEventType, RecordingJob)>
    private let submit: AsyncStream<(WebhookEventType, RecordingJob)>.Continuation

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
    public func run() async {
        var lastOfJob: [String: Task<Void, Never>] = [:]
        for await (type, job) in pending.cancelOnGracefulShutdown() {
            let previous = lastOfJob[job.id]
            let delivery = Task { [self] in
                await previous?.value
                await deliver(type, job: job)
            }
            // Nothing follows a job's last event, so its chain need not be kept.
            lastOfJob[job.id] = type == .started ? delivery : nil
        }
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
            do {
                try await Task.sleep(for: delay)
            } catch {
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
