import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFileSystem
import NIOHTTP1
import ObjectStorage
import Testing

/// S3Client against a real S3-compatible server that checks every signature (moto; see
/// MotoServer). Each test works under a key prefix of its own in the one bucket.
@Suite("S3Client against moto")
struct S3ClientMotoTests {
    @Test("PutObject from a file, HeadObject, GetObject to a file: the same bytes, under an awkward key")
    func roundTrip() async throws {
        let moto = try await MotoServer.shared()
        let client = S3Client(configuration: moto.configuration())
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.randomFile("in.bin", size: 1_000_003)
        // Spaces, UTF-8, reserved characters and an empty segment: encoded once, not normalized.
        let key = "\(UUID())/round trip/ü ñ+&=$@:,;/a//b.bin"

        try await client.putObject(bucket: moto.bucket, key: key, file: file.path, contentType: "application/octet-stream")
        let metadata = try await client.headObject(bucket: moto.bucket, key: key)
        #expect(metadata?.size == 1_000_003)
        #expect(metadata?.contentType == "application/octet-stream")
        let written = try await client.getObject(bucket: moto.bucket, key: key, to: directory.path("out.bin"))
        #expect(written == 1_000_003)
        #expect(try directory.contents(directory.path("out.bin")) == file.bytes)

        try await client.deleteObject(bucket: moto.bucket, key: key)
        #expect(try await client.headObject(bucket: moto.bucket, key: key) == nil)
    }

    @Test("PutObject from memory")
    func putBytes() async throws {
        let moto = try await MotoServer.shared()
        let client = S3Client(configuration: moto.configuration())
        let key = "\(UUID())/manifest.json"
        try await client.putObject(bucket: moto.bucket, key: key, bytes: ByteBuffer(string: "{\"a\":1}"), contentType: "application/json")
        #expect(try await client.headObject(bucket: moto.bucket, key: key)?.size == 7)
    }

    @Test("configured as an AWS SDK would be, from AWS_* variables alone")
    func fromEnvironment() async throws {
        let moto = try await MotoServer.shared()
        let configuration = try S3Configuration.fromEnvironment([
            "HOME": "/nonexistent", "AWS_ACCESS_KEY_ID": moto.accessKeyID, "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
            "AWS_REGION": moto.region, "AWS_ENDPOINT_URL_S3": moto.endpoint,
        ])
        let client = S3Client(configuration: configuration)
        let key = "\(UUID())/from-environment"
        try await client.putObject(bucket: moto.bucket, key: key, bytes: ByteBuffer(string: "env"))
        #expect(try await client.headObject(bucket: moto.bucket, key: key)?.size == 3)
    }

    @Test("a wrong secret key: the error names SignatureDoesNotMatch, and is not retried")
    func wrongSecret() async throws {
        let moto = try await MotoServer.shared()
        let client = S3Client(configuration: moto.configuration(secretAccessKey: "not-the-secret"))
        // That a 4xx is final (one request) is S3ClientRetryTests' to show, counting requests.
        let error = await #expect(throws: S3Error.self) {
            try await client.putObject(bucket: moto.bucket, key: "\(UUID())/x", bytes: ByteBuffer(string: "x"))
        }
        #expect(error?.code == "SignatureDoesNotMatch")
        #expect(error?.status == 403)
        #expect(error?.description.hasPrefix("S3 PutObject failed: SignatureDoesNotMatch (HTTP 403): ") == true)
    }

    @Test("abort: the upload and its parts are gone")
    func abort() async throws {
        let moto = try await MotoServer.shared()
        let client = S3Client(configuration: moto.configuration())
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.randomFile("part.bin", size: 5 * 1024 * 1024)
        let prefix = "\(UUID())/"
        let key = prefix + "aborted.bin"

        let uploadID = try await client.createMultipartUpload(bucket: moto.bucket, key: key)
        _ = try await client.uploadPart(
            bucket: moto.bucket, key: key, uploadID: uploadID, partNumber: 1, file: file.path, range: 0..<(5 * 1024 * 1024))
        #expect(try await client.listMultipartUploads(bucket: moto.bucket, prefix: prefix).map(\.uploadID) == [uploadID])
        #expect(try await client.listParts(bucket: moto.bucket, key: key, uploadID: uploadID).map(\.partNumber) == [1])

        try await client.abortMultipartUpload(bucket: moto.bucket, key: key, uploadID: uploadID)
        #expect(try await client.listMultipartUploads(bucket: moto.bucket, prefix: prefix).isEmpty)
        let error = await #expect(throws: S3Error.self) {
            try await client.listParts(bucket: moto.bucket, key: key, uploadID: uploadID)
        }
        #expect(error?.code == "NoSuchUpload")
    }
}
