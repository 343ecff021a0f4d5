/// One object, written `s3://bucket/key`: what a delivered file's `location` says.
public struct S3ObjectURL: Sendable, Equatable, CustomStringConvertible {
    public var bucket: String
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// nil for anything but `s3://bucket/key` with a key.
    public init?(parsing text: String) {
        guard text.hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst("s3://".count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let bucket = rest[..<slash]
        let key = rest[rest.index(after: slash)...]
        guard !bucket.isEmpty, !key.isEmpty else { return nil }
        self.init(bucket: String(bucket), key: String(key))
    }

    public var description: String { "s3://\(bucket)/\(key)" }
}
