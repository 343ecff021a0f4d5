import Foundation

/// Everything an `S3Client` needs to reach one S3-compatible service.
public struct S3Configuration: Sendable {
    /// Scheme, host and port of the service; its path, if any, is ignored.
    public var endpoint: URL
    public var region: String
    public var credentials: SigV4Credentials
    public var addressing: S3Addressing

    /// Without an endpoint, AWS's regional one with virtual-hosted addressing; with one (MinIO,
    /// R2, moto, …), path-style unless told otherwise.
    public init(
        region: String, credentials: SigV4Credentials, endpoint: URL? = nil, addressing: S3Addressing? = nil
    ) {
        self.region = region
        self.credentials = credentials
        self.endpoint = endpoint ?? URL(string: "https://s3.\(region).amazonaws.com")!
        self.addressing = addressing ?? (endpoint == nil ? .virtualHosted : .pathStyle)
    }
}
