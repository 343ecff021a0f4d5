/// Where the bucket goes in a request's URL.
public enum S3Addressing: String, Sendable, Codable {
    /// `https://s3.region.amazonaws.com/bucket/key`: works everywhere, and is what MinIO, moto and
    /// other self-hosted servers expect.
    case pathStyle
    /// `https://bucket.s3.region.amazonaws.com/key`: AWS's preferred form (path-style is
    /// deprecated there for new buckets), and R2's.
    case virtualHosted
}
