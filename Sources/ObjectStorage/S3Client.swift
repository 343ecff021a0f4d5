import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A client of one S3-compatible service (AWS, MinIO, R2, moto, …): signs each request with
/// SigV4, retries what may succeed later, and turns refusals into `S3Error`. The operations are
/// in the extensions (`S3Client+Objects`, `S3Client+Multipart`).
public struct S3Client: Sendable {
    public let configuration: S3Configuration
    public var retryPolicy: RetryPolicy
    /// The longest one attempt of one request may take, a part's upload included.
    public var requestTimeout: Duration
    let httpClient: HTTPClient
    let logger: Logger
    let signer: SigV4Signer

    public init(
        configuration: S3Configuration, httpClient: HTTPClient = S3Client.sharedHTTPClient, retryPolicy: RetryPolicy = RetryPolicy(),
        requestTimeout: Duration = .seconds(300), logger: Logger = Logger(label: "tapedeck.object-storage")
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
        self.logger = logger
        signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
    }

    /// One operation: signed afresh (new date) and sent on each attempt; a refusal's body is
    /// read into an `S3Error`, an acceptance is handed to `accept`, whose errors retry too.
    func send<Result>(
        _ operation: String, method: HTTPMethod, bucket: String, key: String? = nil, query: [URLQueryItem] = [],
        headers: HTTPHeaders = [:], body: S3RequestBody = .empty,
        accept: (HTTPClientResponse) async throws -> Result
    ) async throws -> Result {
        let location = S3Location(configuration: configuration, bucket: bucket, key: key)
        let payloadHash = try await body.sha256()
        return try await retryPolicy.run(logger: logger, operation: operation) {
            var signed = SigV4Request(method: method.rawValue, path: location.path, query: query, headers: headers)
            signed.headers.replaceOrAdd(name: "host", value: location.host)
            signer.sign(&signed, payloadHash: payloadHash, at: Date())
            var request = HTTPClientRequest(url: location.url(query: query))
            request.method = method
            request.headers = signed.headers
            return try await body.withHTTPBody { httpBody in
                request.body = httpBody
                let response = try await httpClient.execute(request, timeout: TimeAmount(requestTimeout))
                guard (200..<300).contains(response.status.code) else {
                    let errorBody = try await response.body.collect(upTo: Self.maxErrorBodySize)
                    throw S3Error(operation: operation, status: Int(response.status.code), body: Data(buffer: errorBody))
                }
                return try await accept(response)
            }
        }
    }

    /// A URL anyone can GET `key` with, without credentials, until `expires` after `instant`.
    public func presignedGetURL(bucket: String, key: String, expires: Duration, at instant: Date = Date()) -> String {
        let location = S3Location(configuration: configuration, bucket: bucket, key: key)
        let request = SigV4Request(method: "GET", path: location.path, headers: ["host": location.host])
        return location.url(query: signer.presignedQuery(for: request, expires: expires, at: instant))
    }

    /// The HTTP client S3 clients share unless given one: AsyncHTTPClient's own shared client
    /// keeps trying to connect for 90 s, so storage that cannot be reached would go unnoticed for
    /// a minute and a half per attempt; this one gives up connecting after 10 s, and the retry
    /// policy (and its log) takes it from there. Never shut down: it lives as long as the process.
    public static let sharedHTTPClient = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(10))))

    /// Error bodies are a few hundred bytes; anything larger is not S3's error document.
    static let maxErrorBodySize = 64 * 1024
    /// XML results (part listings) are at most a few hundred KiB.
    static let maxXMLBodySize = 16 * 1024 * 1024
}
