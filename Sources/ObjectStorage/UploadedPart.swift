/// One part of a multipart upload that the server holds.
public struct UploadedPart: Sendable, Codable, Equatable {
    /// 1 to 10,000.
    public var partNumber: Int
    /// As the server returned it, quotes included: CompleteMultipartUpload wants it back verbatim.
    public var etag: String
    public var size: Int64

    public init(partNumber: Int, etag: String, size: Int64) {
        self.partNumber = partNumber
        self.etag = etag
        self.size = size
    }
}
