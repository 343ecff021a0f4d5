/// Where outputs go: `s3://bucket` or `s3://bucket/prefix`. Keys are the prefix plus a name;
/// a prefix is a folder, so `s3://b/recordings` and `s3://b/recordings/` both put `x.webm`
/// at `recordings/x.webm`.
public struct S3StorageURL: Sendable, Equatable, CustomStringConvertible {
    public var bucket: String
    /// Empty, or ending with `/`.
    public var prefix: String

    public init(parsing text: String) throws {
        guard text.hasPrefix("s3://") else {
            throw S3ConfigurationError.invalidStorageURL(text, reason: "the scheme must be s3")
        }
        let rest = text.dropFirst("s3://".count)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else {
            throw S3ConfigurationError.invalidStorageURL(text, reason: "no bucket")
        }
        // S3's bucket naming rules, in short: what could not be a host name label is refused here
        // rather than by the server.
        guard bucket.count >= 3, bucket.count <= 63,
              bucket.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") })
        else {
            throw S3ConfigurationError.invalidStorageURL(
                text, reason: "bucket \(bucket) must be 3 to 63 lower-case letters, digits, dots and hyphens")
        }
        var prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
        if !prefix.isEmpty && !prefix.hasSuffix("/") { prefix += "/" }
        self.bucket = String(bucket)
        self.prefix = prefix
    }

    public func key(for name: String) -> String { prefix + name }

    public var description: String { "s3://\(bucket)/\(prefix)" }
}
