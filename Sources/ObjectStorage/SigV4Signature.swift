/// What signing produced, step by step, so each step can be compared with AWS's test vectors.
public struct SigV4Signature: Sendable, Equatable {
    public var canonicalRequest: String
    public var stringToSign: String
    /// Lower-case hex HMAC-SHA256 of the string to sign.
    public var signature: String
    /// The `Authorization` header's value (also computed for presigned URLs, where it is unused).
    public var authorization: String
}
