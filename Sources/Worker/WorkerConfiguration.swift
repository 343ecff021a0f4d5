import Foundation
import Jobs
import Recorder

/// How one worker runs jobs.
public struct WorkerConfiguration: Sendable {
    /// The worker's name in job leases: unique across the fleet.
    public var name: String
    /// Cores this worker may spend on recordings; a job is claimed only when its recipe's
    /// `cpu_cost` fits in what is left.
    public var capacity: Double
    /// Recordings go to `<dataDirectory>/<job.outputDirectory>`.
    public var dataDirectory: String
    /// How long a claimed job stays this worker's without a heartbeat; after that another worker
    /// presumes this one dead and takes the job over.
    public var leaseDuration: Duration = .seconds(10)
    /// How often a running job's lease is renewed and its stop/cancel flags are read.
    public var heartbeatInterval: Duration = .seconds(1)
    /// How often the worker looks for due and queued jobs.
    public var pollInterval: Duration = .milliseconds(250)
    /// How many times a job is tried before it fails.
    public var maxAttempts = 3
    /// ICE servers, interfaces and ports, the same for every room this worker joins (a job may
    /// add ICE servers of its own; `turnTLSCAFile` is trusted for their `turns:` ones).
    public var network = PeerNetworkConfiguration()
    /// Which hosts a job's `signaling_url` may name, checked again as the recording starts (the
    /// API checked it when the job was made, perhaps under another policy).
    public var urlPolicy = OutboundURLPolicy.standard
    /// Where recordings are delivered; nil: nowhere, unless a job names a bucket (which then fails).
    public var storage: StorageConfiguration?
    /// A job whose recording is not in its room this long after starting fails, at once and for
    /// good (a mistyped `signaling_url` must not hold capacity for ever); nil: no limit.
    public var joinTimeout: Duration? = .seconds(30)
    /// The longest any job records, whatever it asked for; nil: no limit.
    public var maxDuration: Duration? = .seconds(6 * 3_600)
    /// No job is claimed while the data directory's file system has less free space than this
    /// (0: no check): a recording started on a full disk only fails later, holding the job.
    public var minimumFreeDiskBytes: Int64 = 256 << 20

    public init(name: String, capacity: Double, dataDirectory: String) {
        self.name = name
        self.capacity = capacity
        self.dataDirectory = dataDirectory
    }

    /// `host-pid-random`: readable in a lease, and distinct for two workers on one host.
    public static func defaultName() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "worker"
        return "\(host)-\(getpid())-\(UInt16.random(in: .min ... .max))"
    }
}
