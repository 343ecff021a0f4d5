import ArgumentParser
import Foundation
import Jobs
import Worker

/// What `serve` and `worker` share: where jobs are kept, where recordings go, and how much a
/// worker takes on.
struct WorkerOptions: ParsableArguments {
    @Option(help: "Jobs database: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB (default: sqlite:DATA/tapedeck.sqlite).")
    var database: String?
    @Option(help: "Data directory: recordings go to DATA/recordings/<job id>.") var data = "tapedeck-data"
    @Option(help: "Cores a worker may spend on recordings; each recipe says what it costs (default: this machine's cores).")
    var capacity: Double?
    @Option(help: "Seconds a claimed job stays a worker's without a heartbeat before another worker takes it over.")
    var leaseSeconds = 10
    @Option(help: "Attempts before a job fails for good.") var maxAttempts = 3
    @OptionGroup var ice: IceOptions
    @OptionGroup var webhooks: WebhookOptions

    func validate() throws {
        if let capacity, capacity <= 0 { throw ValidationError("--capacity must be positive") }
        guard leaseSeconds >= 2 else { throw ValidationError("--lease-seconds must be at least 2") }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        _ = try databaseLocation()
    }

    func databaseLocation() throws -> JobDatabaseLocation {
        do {
            return try JobDatabaseLocation(parsing: database ?? "sqlite:\((data as NSString).appendingPathComponent("tapedeck.sqlite"))")
        } catch {
            throw ValidationError("--database: \(error)")
        }
    }

    func workerConfiguration(name: String = WorkerConfiguration.defaultName()) throws -> WorkerConfiguration {
        var configuration = WorkerConfiguration(name: name, capacity: capacity ?? Double(ProcessInfo.processInfo.activeProcessorCount),
                                                dataDirectory: data)
        configuration.leaseDuration = .seconds(leaseSeconds)
        configuration.heartbeatInterval = .milliseconds(max(leaseSeconds * 1_000 / 5, 500))
        configuration.maxAttempts = maxAttempts
        configuration.ice = try ice.configuration()
        configuration.includeLoopback = ice.includeLoopback
        return configuration
    }
}
