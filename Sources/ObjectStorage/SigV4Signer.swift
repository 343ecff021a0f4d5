import Crypto
import Foundation
import NIOHTTP1

/// AWS Signature Version 4 (header and query-string authentication), as S3 applies it: the path
/// is encoded once and never normalized.
public struct SigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash of a request whose body is not signed (presigned URLs, for one).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of no bytes: the payload hash of a request without a body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public var credentials: SigV4Credentials
    public var region: String
    public var service: String

    public init(credentials: SigV4Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Adds `x-amz-date`, `x-amz-security-token` (temporary credentials), for S3
    /// `x-amz-content-sha256`, and `Authorization`, signing every header the request has.
    @discardableResult
    public func sign(_ request: inout SigV4Request, payloadHash: String, at instant: Date) -> SigV4Signature {
        let timestamp = SigV4Timestamp(instant)
        request.headers.remove(name: "authorization")
        request.headers.replaceOrAdd(name: "x-amz-date", value: timestamp.dateTime)
        if let token = credentials.sessionToken {
            request.headers.replaceOrAdd(name: "x-amz-security-token", value: token)
        }
        // S3 refuses a request without it; other services (the test suite's) do not use it.
        if service == "s3" {
            request.headers.replaceOrAdd(name: "x-amz-content-sha256", value: payloadHash)
        }
        let signature = self.signature(of: request, payloadHash: payloadHash, timestamp: timestamp)
        request.headers.replaceOrAdd(name: "authorization", value: signature.authorization)
        return signature
    }

    /// The query that makes a GET of `request`'s path valid without headers for `expires`
    /// (S3 accepts 1 s to 7 days). Only `host` is signed; the payload is not.
    public func presignedQuery(
        for request: SigV4Request, expires: Duration, at instant: Date
    ) -> [URLQueryItem] {
        let timestamp = SigV4Timestamp(instant)
        var presigned = request
        presigned.headers = HTTPHeaders([("host", request.headers.first(name: "host") ?? "")])
        presigned.query += [
            URLQueryItem(name: "X-Amz-Algorithm", value: Self.algorithm),
            URLQueryItem(name: "X-Amz-Credential", value: "\(credentials.accessKeyID)/\(scope(timestamp))"),
            URLQueryItem(name: "X-Amz-Date", value: timestamp.dateTime),
            URLQueryItem(name: "X-Amz-Expires", value: String(expires.components.seconds)),
            URLQueryItem(name: "X-Amz-SignedHeaders", value: "host"),
        ]
        if let token = credentials.sessionToken {
            presigned.query.append(URLQueryItem(name: "X-Amz-Security-Token", value: token))
        }
        let signature = self.signature(of: presigned, payloadHash: Self.unsignedPayload, timestamp: timestamp)
        return presigned.query + [URLQueryItem(name: "X-Amz-Signature", value: signature.signature)]
    }

    func signature(of request: SigV4Request, payloadHash: String, timestamp: SigV4Timestamp) -> SigV4Signature {
        let headers = CanonicalHeaders(request.headers)
        let canonicalRequest = [
            request.method,
            AWSPercentEncoding.encodePath(request.path),
            Self.canonicalQuery(request.query),
            headers.canonical,
            headers.signedNames,
            payloadHash,
        ].joined(separator: "\n")
        let stringToSign = [
            Self.algorithm,
            timestamp.dateTime,
            scope(timestamp),
            SHA256.hash(data: Data(canonicalRequest.utf8)).hexString,
        ].joined(separator: "\n")
        let signature = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(timestamp))
            .hexString
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope(timestamp)), "
            + "SignedHeaders=\(headers.signedNames), Signature=\(signature)"
        return SigV4Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            authorization: authorization)
    }

    /// Names and values encoded, then sorted by name and, for a repeated name, by value.
    static func canonicalQuery(_ query: [URLQueryItem]) -> String {
        query
            .map { (AWSPercentEncoding.encodeQueryComponent($0.name), AWSPercentEncoding.encodeQueryComponent($0.value ?? "")) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    private func scope(_ timestamp: SigV4Timestamp) -> String {
        "\(timestamp.date)/\(region)/\(service)/aws4_request"
    }

    /// The secret never signs anything directly: it is narrowed to this day, region and service.
    private func signingKey(_ timestamp: SigV4Timestamp) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [String(timestamp.date), region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key))
        }
        return key
    }
}
