import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ObjectStorage
import Testing

/// Presigned GET URLs. Their signature is AWS's (SigV4S3Tests checks S3's published example)
/// and botocore's (here); that a server finds the object by them is checked against a moto
/// that does not check signatures, because moto cannot serve presigned URLs while it does.
@Suite("Presigned URLs")
struct PresignedURLTests {
    @Test("the same URL as botocore's, for awkward keys and temporary credentials", arguments: [
        ("plain.txt", nil), ("a b/ü+$x//y.txt", nil), ("recordings/2026-12-04/room 1/participant=é.webm", "FQoG/token+=="),
    ] as [(String, String?)])
    func sameAsBotocore(key: String, sessionToken: String?) throws {
        let configuration = S3Configuration(
            region: "eu-west-3",
            credentials: SigV4Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret/key+1", sessionToken: sessionToken),
            endpoint: URL(string: "http://127.0.0.1:9000")!)
        let instant = Date(timeIntervalSince1970: 1_700_000_000)
        let ours = S3Client(configuration: configuration).presignedGetURL(
            bucket: "bucket", key: key, expires: .seconds(3600), at: instant)
        var request: [String: Any] = [
            "endpoint": "http://127.0.0.1:9000", "bucket": "bucket", "key": key, "region": "eu-west-3",
            "access_key_id": "AKIDEXAMPLE", "secret_access_key": "secret/key+1", "expires": 3600,
            "time": instant.timeIntervalSince1970,
        ]
        request["session_token"] = sessionToken
        let botocore = try PythonScript.run("botocore_presign.py", input: JSONSerialization.data(withJSONObject: request))
        #expect(ours == botocore)
    }

    @Test("a plain HTTP client GETs the object with it")
    func fetched() async throws {
        let moto = try await MotoServer.withoutSignatureChecks()
        let client = S3Client(configuration: moto.configuration())
        let key = "\(UUID())/presigned file ü.txt"
        try await client.putObject(bucket: moto.bucket, key: key, bytes: ByteBuffer(string: "hello, presigned"))
        let url = client.presignedGetURL(bucket: moto.bucket, key: key, expires: .seconds(300))

        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        #expect(response.status == .ok)
        #expect(String(buffer: try await response.body.collect(upTo: 1024)) == "hello, presigned")
    }
}
