/// What HeadObject says about an object.
public struct ObjectMetadata: Sendable, Equatable {
    public var size: Int64
    public var etag: String?
    public var contentType: String?
}
