import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ObjectStorage
import Testing

/// What the client does with the failures S3 answers with now and then (503 SlowDown, 500),
/// and with those it must not retry, against a scripted HTTP server.
@Suite("S3Client retries")
struct S3ClientRetryTests {
    static let slowDown = ScriptedHTTPServer.Response(
        status: .serviceUnavailable,
        body: "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>")
    static let accepted = ScriptedHTTPServer.Response(status: .ok, headers: [("ETag", "\"abc\"")])

    static func client(_ server: ScriptedHTTPServer, attempts: Int = 4) -> S3Client {
        S3Client(
            configuration: S3Configuration(
                region: "us-east-1", credentials: SigV4Credentials(accessKeyID: "k", secretAccessKey: "s"),
                endpoint: URL(string: "http://127.0.0.1:\(server.port)")!),
            retryPolicy: RetryPolicy(maxAttempts: attempts, initialDelay: .milliseconds(20), maxDelay: .milliseconds(100)))
    }

    @Test("503 SlowDown then 500, then success: the file's bytes are sent again each time")
    func retriesServerErrors() async throws {
        let server = try await ScriptedHTTPServer(script: [
            Self.slowDown, .init(status: .internalServerError), Self.accepted,
        ])
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.randomFile("part.bin", size: 300_000)

        let etag = try await Self.client(server).putObject(bucket: "b", key: "k", file: file.path)
        #expect(etag == "\"abc\"")
        #expect(server.received.map(\.bodyLength) == [300_000, 300_000, 300_000])
        try await server.close()
    }

    @Test("gives up after maxAttempts with the server's last error")
    func givesUp() async throws {
        let server = try await ScriptedHTTPServer(script: [Self.slowDown])
        let error = await #expect(throws: S3Error.self) {
            try await Self.client(server, attempts: 3).deleteObject(bucket: "b", key: "k")
        }
        #expect(error?.code == "SlowDown" && error?.status == 503)
        #expect(server.received.count == 3)
        try await server.close()
    }

    @Test("a 4xx other than 408 and 429 is final: one request")
    func clientErrorsAreFinal() async throws {
        let server = try await ScriptedHTTPServer(script: [
            .init(status: .forbidden, body: "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"),
        ])
        let error = await #expect(throws: S3Error.self) {
            try await Self.client(server).putObject(bucket: "b", key: "k", bytes: ByteBuffer(string: "x"))
        }
        #expect(error?.code == "AccessDenied")
        #expect(server.received.count == 1)
        try await server.close()
    }

    @Test("an <Error> inside a 200 (CompleteMultipartUpload) is retried like a 500")
    func errorInside200() async throws {
        let server = try await ScriptedHTTPServer(script: [
            .init(status: .ok, body: "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>"),
            .init(status: .ok, body: "<CompleteMultipartUploadResult><ETag>\"e-2\"</ETag></CompleteMultipartUploadResult>"),
        ])
        let etag = try await Self.client(server).completeMultipartUpload(
            bucket: "b", key: "k", uploadID: "u",
            parts: [UploadedPart(partNumber: 2, etag: "\"b\"", size: 1), UploadedPart(partNumber: 1, etag: "\"a\"", size: 1)])
        #expect(etag == "\"e-2\"")
        #expect(server.received.count == 2)
        try await server.close()
    }

    /// With its own HTTPClient: the shared one keeps trying to connect for 90 s (its
    /// browser-like connect timeout) before an attempt fails.
    @Test("connection refused is retried, then reported")
    func connectionRefused() async throws {
        let server = try await ScriptedHTTPServer(script: [Self.accepted])
        let port = server.port
        try await server.close()
        let httpClient = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClient.Configuration(timeout: .init(connect: .milliseconds(300))))
        let client = S3Client(
            configuration: S3Configuration(
                region: "us-east-1", credentials: SigV4Credentials(accessKeyID: "k", secretAccessKey: "s"),
                endpoint: URL(string: "http://127.0.0.1:\(port)")!),
            httpClient: httpClient,
            retryPolicy: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(20), maxDelay: .milliseconds(100)))
        let started = ContinuousClock.now
        let error = await #expect(throws: IOError.self) { try await client.deleteObject(bucket: "b", key: "k") }
        let elapsed = ContinuousClock.now - started
        #expect(error?.errnoCode == ECONNREFUSED)
        // Three attempts of a 300 ms connect timeout each (no upper bound: a loaded machine is slow).
        #expect(elapsed > .milliseconds(900), "three attempts of 300 ms each")
        try await httpClient.shutdown()
    }
}
