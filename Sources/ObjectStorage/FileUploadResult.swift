/// A file that is now an object, checked: the object's size is the file's.
public struct FileUploadResult: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var size: Int64
    public var etag: String?
    /// Nil when the file went up in one PutObject.
    public var uploadID: String?
    /// Parts sent by this call, and parts an earlier attempt had already sent.
    public var partsUploaded: Int
    public var partsReused: Int
}
