import ArgumentParser
import Foundation
import Jobs
import Worker

/// How `serve` and `worker` deliver webhook events: where events of jobs without a `webhook_url`
/// go, and how long a refused event is retried.
struct WebhookOptions: ParsableArguments {
    @Option(help: "Where events of jobs without a webhook_url are POSTed (default: none, not sent).")
    var webhookURL: String?
    @Option(help: "Hours a webhook event is retried before it is given up.")
    var webhookRetryHours = 24.0
    @Option(help: "Longest wait between two attempts of a webhook event, in seconds (the wait doubles from 1 s up to this).")
    var webhookMaxRetryDelaySeconds = 300.0

    func validate() throws {
        guard webhookRetryHours > 0, webhookRetryHours.isFinite else { throw ValidationError("--webhook-retry-hours must be positive") }
        guard webhookMaxRetryDelaySeconds >= 1, webhookMaxRetryDelaySeconds.isFinite else {
            throw ValidationError("--webhook-max-retry-delay-seconds must be at least 1")
        }
        _ = try defaultURL()
        _ = try secret()
    }

    /// `$TAPEDECK_WEBHOOK_SECRET`; nil when unset (events go unsigned). Set but empty is refused:
    /// it would sign every event with a key anyone can guess.
    func secret(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        guard let secret = environment["TAPEDECK_WEBHOOK_SECRET"] else { return nil }
        guard !secret.isEmpty else {
            throw ValidationError("""
                TAPEDECK_WEBHOOK_SECRET is set but empty: webhook events would be signed with an empty key anyone can forge.                 Set it to a random secret (e.g. `openssl rand -hex 32`), or unset it to send events unsigned
                """)
        }
        return secret
    }

    /// `--webhook-url` (or `TAPEDECK_WEBHOOK_URL`, see `EnvironmentArguments`); nil when not set or empty.
    func defaultURL() throws -> String? {
        guard let given = webhookURL, !given.isEmpty else { return nil }
        guard let url = URL(string: given), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty
        else { throw ValidationError("--webhook-url: \"\(given)\" is not an http:// or https:// URL") }
        return given
    }

    func delivererConfiguration(name: String, urlPolicy: OutboundURLPolicy) throws -> WebhookDeliverer.Configuration {
        var configuration = WebhookDeliverer.Configuration(
            name: name, defaultURL: try defaultURL(), secret: try secret())
        configuration.urlPolicy = urlPolicy
        configuration.retry.maximumAge = .seconds(webhookRetryHours * 3_600)
        configuration.retry.maximumDelay = .seconds(webhookMaxRetryDelaySeconds)
        return configuration
    }
}
