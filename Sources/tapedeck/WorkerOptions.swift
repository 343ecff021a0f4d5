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
    @Option(help: "Delete the local files of recordings that ended more than this many days ago (checked hourly and at start; default: keep them).")
    var retentionDays: Double?
    // For tests: retention and the sweep's period in seconds instead of days and an hour.
    @Option(help: .hidden) var retentionSeconds: Double?
    @Option(help: .hidden) var retentionSweepSeconds: Double = 3600
    @OptionGroup var ice: IceOptions

    func validate() throws {
        if let capacity, capacity <= 0 { throw ValidationError("--capacity must be positive") }
        guard leaseSeconds >= 2 else { throw ValidationError("--lease-seconds must be at least 2") }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        if let retentionDays, !(retentionDays > 0) { throw ValidationError("--retention-days must be positive") }
        if retentionDays != nil, retentionSeconds != nil {
            throw ValidationError("--retention-days and --retention-seconds cannot both be given")
        }
        guard retentionSweepSeconds > 0 else { throw ValidationError("--retention-sweep-seconds must be positive") }
        _ = try databaseLocation()
    }

    func databaseLocation() throws -> JobDatabaseLocation {
        do {
            return try JobDatabaseLocation(parsing: database ?? "sqlite:\((data as NSString).appendingPathComponent("tapedeck.sqlite"))")
        } catch {
            throw ValidationError("--database: \(error)")
        }
    }

    /// How long ended recordings keep their local files; nil: for ever.
    var retention: Duration? {
        if let retentionDays { return .seconds(retentionDays * 86_400) }
        return retentionSeconds.map { .seconds($0) }
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
