/// An incomplete multipart upload, as ListMultipartUploads lists it.
public struct MultipartUploadSummary: Sendable, Equatable {
    public var key: String
    public var uploadID: String
}
