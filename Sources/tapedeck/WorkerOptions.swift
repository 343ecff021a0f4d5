import ArgumentParser
import Foundation
import Jobs
import ObjectStorage
import RTCNIO
import Recorder
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
    @Option(help: "Seconds a job's recording may take to get into its room before the job fails (0: no limit).")
    var joinTimeoutSeconds = 30.0
    @Option(help: "Longest any job records, in seconds, whatever it asks for (0: no limit; 21600 is 6 hours).")
    var maxDurationSeconds = 21_600.0
    @Option(help: "Claim no job while the data directory has less free space than this, in MiB (0: no check).")
    var minFreeDiskMib = 256
    @Option(help: ArgumentHelp(
        "Upload every recording's files and manifest here: s3://BUCKET or s3://BUCKET/PREFIX (a job's own `storage` wins).",
        discussion: "Credentials, region and endpoint follow the AWS SDKs: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, AWS_PROFILE and ~/.aws files."))
    var storage: String?
    @Flag(help: "Keep the local copies of uploaded files (default: removed once the upload is verified; a job's `keep_local` wins).")
    var keepLocal = false
    @Option(help: "Multipart upload part size in MiB (5 or more).") var uploadPartSizeMib = 8
    @Option(help: "Minutes an upload keeps being retried while storage is unreachable or failing, before the job fails.")
    var uploadRetryMinutes = 60.0
    @Option(help: "Delete the local files of recordings that ended more than this many days ago (checked hourly and at start; default: keep them).")
    var retentionDays: Double?
    // For tests: retention and the sweep's period in seconds instead of days and an hour.
    @Option(help: .hidden) var retentionSeconds: Double?
    @Option(help: .hidden) var retentionSweepSeconds: Double = 3600
    /// `--relay-only` on a worker may rely on the TURN servers jobs bring (`ice_servers`).
    @OptionGroup var ice: IceOptions
    @OptionGroup var tcpPort: TCPPortOptions
    @OptionGroup var webhooks: WebhookOptions
    @OptionGroup var urls: URLPolicyOptions

    func validate() throws {
        if let capacity, capacity <= 0 { throw ValidationError("--capacity must be positive") }
        guard leaseSeconds >= 2 else { throw ValidationError("--lease-seconds must be at least 2") }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        guard joinTimeoutSeconds >= 0 else { throw ValidationError("--join-timeout-seconds cannot be negative") }
        guard maxDurationSeconds >= 0 else { throw ValidationError("--max-duration-seconds cannot be negative") }
        guard minFreeDiskMib >= 0 else { throw ValidationError("--min-free-disk-mib cannot be negative") }
        guard uploadPartSizeMib >= 5 else { throw ValidationError("--upload-part-size-mib must be at least 5 (S3's smallest part)") }
        guard uploadRetryMinutes > 0 else { throw ValidationError("--upload-retry-minutes must be positive") }
        _ = try storageDestination()
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
        configuration.joinTimeout = joinTimeoutSeconds > 0 ? .milliseconds(Int64(joinTimeoutSeconds * 1_000)) : nil
        configuration.maxDuration = maxDurationSeconds > 0 ? .milliseconds(Int64(maxDurationSeconds * 1_000)) : nil
        configuration.minimumFreeDiskBytes = Int64(minFreeDiskMib) << 20
        configuration.network.ice = try ice.configuration()
        configuration.network.turnTLSCAFile = ice.turnTlsCaFile
        configuration.network.includeLoopback = ice.includeLoopback
        configuration.network.udpPort = try ice.mediaPort.udpPort(defaultPort: UDPPortChoice.defaultPort)
        configuration.network.passiveTCPPort = try tcpPort.tcpPort(with: configuration.network.udpPort)
        configuration.storage = try storageConfiguration()
        configuration.urlPolicy = try urls.policy()
        return configuration
    }

    func storageDestination() throws -> S3StorageURL? {
        do {
            return try storage.map(S3StorageURL.init(parsing:))
        } catch {
            throw ValidationError("--storage: \(error)")
        }
    }

    /// The S3 service from the environment; required only when `--storage` is given (a job
    /// naming its own bucket on a worker without credentials fails, saying so).
    func storageConfiguration() throws -> StorageConfiguration {
        var configuration = StorageConfiguration.fromEnvironment(defaultDestination: try storageDestination())
        if let destination = configuration.defaultDestination, configuration.s3 == nil {
            throw ValidationError("--storage \(destination): \(configuration.credentialsProblem ?? "no S3 configuration")")
        }
        configuration.keepLocal = keepLocal
        configuration.partSize = Int64(uploadPartSizeMib) * 1024 * 1024
        configuration.giveUpAfter = .milliseconds(Int64(uploadRetryMinutes * 60_000))
        return configuration
    }
}
