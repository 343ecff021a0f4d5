import AsyncHTTPClient
import CoreMetrics
import Foundation
import Jobs
import Logging
import NIOCore
import NIOHTTP1
import Recorder
import ServiceLifecycle

/// Delivers the webhook events the job store's outbox holds: claims the due ones (each job's
/// oldest pending event, so a job's events arrive in order), POSTs each to its job's
/// `webhook_url` (or the server-wide default) signed, and records every attempt, on the event and
/// on the job (`webhook_deliveries`). A refused attempt is tried again later by `retry`'s schedule,
/// by whichever process's deliverer is running then; the claim keeps two processes from sending
/// one event at once. Delivery is at least once: a process killed between the receiver's answer
/// and the record sends the event again, with the same `id`.
///
/// Every `serve` and `worker` process runs one. At a graceful shutdown it stops claiming and
/// returns once the POSTs under way have their answers (each at most `timeout`); events not yet
/// delivered stay in the outbox for the next process.
public final class WebhookDeliverer: Service, Sendable {
    public struct Configuration: Sendable {
        /// The deliverer's name in claims: unique across the fleet.
        public var name: String
        /// Where events go whose job has no `webhook_url` (nil: such events are not sent).
        public var defaultURL: String?
        /// The key of the `Tapedeck-Signature` header (nil: deliveries are unsigned).
        public var secret: String?
        public var retry = WebhookRetryPolicy()
        /// How often the outbox is read when it had nothing due.
        public var pollInterval: Duration = .milliseconds(500)
        /// Which hosts events may be sent to.
        public var urlPolicy = OutboundURLPolicy.standard
        /// How long one POST may take.
        public var timeout: Duration = .seconds(10)
        /// Events claimed (and sent concurrently) at a time.
        public var batchSize = 32

        public init(name: String, defaultURL: String? = nil, secret: String? = nil) {
            self.name = name
            self.defaultURL = defaultURL
            self.secret = secret
        }

        /// How long a claim lasts: well past a POST's timeout, so that a live deliverer always
        /// records its attempt before another may take the event.
        var claimDuration: Duration { timeout * 3 }
    }

    private let store: any JobStore
    private let configuration: Configuration
    private let signature: WebhookSignature?
    private let metrics: WorkerMetrics
    private let logger: Logger

    public init(store: any JobStore, configuration: Configuration, metrics: WorkerMetrics, logger: Logger) {
        self.store = store
        self.configuration = configuration
        signature = configuration.secret.map(WebhookSignature.init(secret:))
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "deliverer"] = "\(configuration.name)"
        self.logger = logger
    }

    public func run() async {
        let stopping = OneWayFlag()
        let pollInterval = configuration.pollInterval
        let client = makeClient()
        await withGracefulShutdownHandler {
            while !stopping.isRaised && !Task.isCancelled {
                let claimed = await deliverDueEvents(with: client)
                if claimed < configuration.batchSize {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
                }
            }
        } onGracefulShutdown: {
            stopping.raise()
        }
        try? await client.shutdown()
    }

    /// A client of the deliverer's own: a receiver that refuses connections fails the attempt at
    /// once (the shared client would keep connecting until the attempt's timeout), since the
    /// outbox's retry schedule, not the connection pool, decides when to try again.
    private func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .init(min(self.configuration.timeout, .seconds(5)))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Claims the events due now and delivers them; returns how many it claimed.
    private func deliverDueEvents(with client: HTTPClient) async -> Int {
        let events: [WebhookOutboxEvent]
        do {
            events = try await store.claimDueWebhookEvents(deliverer: configuration.name, limit: configuration.batchSize,
                                                           claimDuration: configuration.claimDuration, now: Date())
        } catch {
            logger.warning("cannot read the webhook outbox", metadata: ["error": "\(error)"])
            return 0
        }
        await withDiscardingTaskGroup { group in
            for event in events {
                group.addTask { await self.deliver(event, with: client) }
            }
        }
        return events.count
    }

    private func deliver(_ event: WebhookOutboxEvent, with client: HTTPClient) async {
        guard let url = event.webhookURL ?? configuration.defaultURL else {
            await record(.noReceiver, of: event)
            return
        }
        let now = Date()
        let attempt = event.attempts + 1
        // Checked again at delivery: the job may predate the policy, and the server-wide default
        // URL never went through the API. A refused host will not become allowed by waiting.
        if let host = URLComponents(string: url)?.host, let refusal = configuration.urlPolicy.refusal(host: host) {
            logger.error("webhook not delivered: its URL is refused", metadata: [
                "job": "\(event.jobID)", "event_id": "\(event.id)", "reason": "\(refusal)",
            ])
            await record(.givenUp(WebhookDelivery(event: event.type.rawValue, attempt: attempt, at: now, status: nil,
                                                  error: "webhook URL refused: \(refusal)")), of: event)
            return
        }
        let answer = await post(Data(event.body.utf8), to: url, with: client)
        let delivery = WebhookDelivery(event: event.type.rawValue, attempt: attempt, at: now, status: answer.status,
                                       error: answer.error)
        if delivery.succeeded {
            await record(.delivered(delivery), of: event)
            return
        }
        metrics.webhookFailures.increment()
        let metadata: Logger.Metadata = [
            "job": "\(event.jobID)", "event": "\(event.type.rawValue)", "event_id": "\(event.id)",
            "attempt": "\(attempt)", "reason": "\(answer.error ?? "HTTP \(answer.status ?? 0)")",
        ]
        if let retryAt = configuration.retry.retryTime(afterAttempt: attempt, createdAt: event.createdAt, now: now) {
            logger.warning("webhook delivery failed; will retry", metadata: metadata.merging(
                ["retry_in_s": "\(String(format: "%.1f", retryAt.timeIntervalSince(now)))"]) { $1 })
            await record(.failed(delivery, retryAt: retryAt), of: event)
        } else {
            logger.error("webhook not delivered; giving up (the event is past its retry age)", metadata: metadata)
            await record(.givenUp(delivery), of: event)
        }
    }

    private func record(_ outcome: WebhookAttemptOutcome, of event: WebhookOutboxEvent) async {
        do {
            try await store.recordWebhookAttempt(eventID: event.id, outcome, now: Date())
        } catch {
            // The claim runs out and the event is tried again: at least once, never lost.
            logger.warning("cannot record a webhook delivery attempt", metadata: [
                "job": "\(event.jobID)", "event_id": "\(event.id)", "error": "\(error)",
            ])
        }
    }

    private func post(_ body: Data, to url: String, with client: HTTPClient) async -> (status: Int?, error: String?) {
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
            let response = try await client.execute(request, timeout: .init(configuration.timeout))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), nil)
        } catch {
            return (nil, "\(error)")
        }
    }
}
