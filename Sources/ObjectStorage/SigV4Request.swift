import Foundation
import NIOHTTP1

/// A request as SigV4 sees it: what goes into the canonical request, nothing about transport.
public struct SigV4Request: Sendable {
    public var method: String
    /// The path before percent-encoding, as S3 names it (`/bucket/key` or `/key`): the signer
    /// encodes it once, and the same encoding is what goes on the wire.
    public var path: String
    /// Decoded names and values; a `nil` value is signed as an empty one (`uploads=`).
    public var query: [URLQueryItem]
    /// Every header here is signed, so only headers the server will see unchanged belong here.
    public var headers: HTTPHeaders

    public init(method: String, path: String, query: [URLQueryItem] = [], headers: HTTPHeaders = [:]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }
}
