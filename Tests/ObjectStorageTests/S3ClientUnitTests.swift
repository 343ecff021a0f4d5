import Foundation
import Logging
import Testing

@testable import ObjectStorage

/// The parts of the client that need no server: addressing, error bodies, retry decisions.
@Suite("S3Client, without a server")
struct S3ClientUnitTests {
    static let credentials = SigV4Credentials(accessKeyID: "a", secretAccessKey: "s")

    @Test("path-style and virtual-hosted URLs, default ports left out of Host")
    func addressing() {
        let aws = S3Configuration(region: "eu-west-1", credentials: Self.credentials)
        #expect(aws.addressing == .virtualHosted)
        let virtual = S3Location(configuration: aws, bucket: "rec", key: "a b/c.webm")
        #expect(virtual.host == "rec.s3.eu-west-1.amazonaws.com")
        #expect(virtual.path == "/a b/c.webm")
        #expect(virtual.url(query: [URLQueryItem(name: "uploads", value: nil)])
            == "https://rec.s3.eu-west-1.amazonaws.com/a%20b/c.webm?uploads")

        let minio = S3Configuration(region: "us-east-1", credentials: Self.credentials, endpoint: URL(string: "http://minio:9000")!)
        #expect(minio.addressing == .pathStyle)
        let path = S3Location(configuration: minio, bucket: "rec", key: "k")
        #expect(path.host == "minio:9000")
        #expect(path.url(query: [URLQueryItem(name: "partNumber", value: "1"), URLQueryItem(name: "uploadId", value: "x/y+z")])
            == "http://minio:9000/rec/k?partNumber=1&uploadId=x%2Fy%2Bz")

        let defaultPort = S3Configuration(
            region: "auto", credentials: Self.credentials, endpoint: URL(string: "https://acct.r2.cloudflarestorage.com:443")!,
            addressing: .virtualHosted)
        #expect(S3Location(configuration: defaultPort, bucket: "rec", key: nil).host == "rec.acct.r2.cloudflarestorage.com")
    }

    @Test("an S3 error body becomes an S3Error with its code and message; a body that is not XML keeps the status")
    func errors() {
        let body = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match \
            the signature you provided.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>
            """.utf8)
        let error = S3Error(operation: "PutObject", status: 403, body: body)
        #expect(error.code == "SignatureDoesNotMatch")
        #expect(error.requestID == "4442587FB7D0A2F9")
        #expect(error.description
            == "S3 PutObject failed: SignatureDoesNotMatch (HTTP 403): The request signature we calculated does not match the signature you provided.")
        #expect(!error.isRetryable)

        for garbage in ["", "<html>bad gateway", "\u{0}\u{1}"] {
            let bare = S3Error(operation: "HeadObject", status: 502, body: Data(garbage.utf8))
            #expect(bare.code == "HTTP502" && bare.message == nil)
            #expect(bare.isRetryable)
        }
        #expect(S3Error(operation: "HeadObject", status: 404, body: Data()).code == "NotFound")
    }

    @Test("retried: 5xx, 408, 429, SlowDown, broken connections; not: other 4xx, cancellation, local files")
    func retryable() {
        let policy = RetryPolicy()
        #expect(policy.isRetryable(S3Error(operation: "x", status: 503, code: "SlowDown")))
        #expect(policy.isRetryable(S3Error(operation: "x", status: 500, code: "InternalError")))
        #expect(policy.isRetryable(S3Error(operation: "x", status: 408, code: "RequestTimeout")))
        #expect(policy.isRetryable(S3Error(operation: "x", status: 429, code: "TooManyRequests")))
        #expect(policy.isRetryable(S3Error(operation: "x", status: 200, code: "InternalError")), "an error in a 200 response")
        #expect(!policy.isRetryable(S3Error(operation: "x", status: 403, code: "SignatureDoesNotMatch")))
        #expect(!policy.isRetryable(S3Error(operation: "x", status: 404, code: "NoSuchUpload")))
        #expect(!policy.isRetryable(CancellationError()))
        #expect(!policy.isRetryable(S3ProtocolError.malformedResponse("x")))
        #expect(policy.isRetryable(POSIXError(.ECONNREFUSED)))
    }

    @Test("backoff: random, under a bound that doubles from the initial delay up to the maximum")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 10, initialDelay: .milliseconds(100), maxDelay: .seconds(1))
        var generator = SystemRandomNumberGenerator()
        for (attempt, bound) in [(1, Duration.milliseconds(100)), (2, .milliseconds(200)), (4, .milliseconds(800)), (9, .seconds(1))] {
            let delays = (0..<200).map { _ in policy.delay(afterAttempt: attempt, using: &generator) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= bound })
            #expect(delays.max()! > bound / 2, "jitter spreads over the whole range")
        }
    }

    @Test("retries stop after maxAttempts and rethrow the last error")
    func attempts() async {
        let policy = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        let counter = Counter()
        await #expect(throws: POSIXError.self) {
            try await policy.run(logger: .init(label: "test"), operation: "test") {
                await counter.increment()
                throw POSIXError(.ECONNRESET)
            }
        }
        #expect(await counter.value == 3)
    }

    actor Counter {
        var value = 0
        func increment() { value += 1 }
    }
}
