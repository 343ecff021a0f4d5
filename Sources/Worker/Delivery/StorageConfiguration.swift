import Foundation
import ObjectStorage

/// Where a worker delivers recordings, and how: the server's default bucket (`--storage`), the
/// S3 service and credentials found by the AWS SDKs' rules, and what to do with the local copies.
public struct StorageConfiguration: Sendable {
    /// The service and credentials; nil when the environment names none (`credentialsProblem` says why).
    public var s3: S3Configuration?
    /// Why `s3` is nil, in words for a job that asked for storage all the same.
    public var credentialsProblem: String?
    /// Jobs without a `storage` of their own go here; nil: they stay on local disk.
    public var defaultDestination: S3StorageURL?
    /// Whether local copies stay after a verified upload, for jobs that do not say.
    public var keepLocal = false
    /// Multipart part size (S3's minimum is 5 MiB).
    public var partSize: Int64 = 8 * 1024 * 1024
    public var maxConcurrentParts = 4
    /// How long an upload keeps being retried while the service cannot be reached or answers
    /// with a server error; a refusal (wrong key, no such bucket) fails at once.
    public var giveUpAfter: Duration = .seconds(3_600)

    public init(s3: S3Configuration?, credentialsProblem: String? = nil, defaultDestination: S3StorageURL? = nil) {
        self.s3 = s3
        self.credentialsProblem = credentialsProblem
        self.defaultDestination = defaultDestination
    }

    /// The AWS SDKs' configuration from the environment and files; a missing one is not an error
    /// until a job asks for storage.
    public static func fromEnvironment(defaultDestination: S3StorageURL?) -> StorageConfiguration {
        do {
            return StorageConfiguration(s3: try S3Configuration.fromEnvironment(), defaultDestination: defaultDestination)
        } catch {
            return StorageConfiguration(s3: nil, credentialsProblem: "\(error)", defaultDestination: defaultDestination)
        }
    }
}
