import Foundation
import NIOHTTP1
import ObjectStorage
import Testing

/// The worked examples of Amazon S3's API reference ("Signature Calculations for the
/// Authorization Header" and "Authenticating Requests: Using Query Parameters"): S3's own use
/// of SigV4, which the generic suite does not cover — `x-amz-content-sha256` and presigned URLs.
@Suite("SigV4: Amazon S3's published examples")
struct SigV4S3Tests {
    static let signer = SigV4Signer(
        credentials: SigV4Credentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    static let instant = Date(timeIntervalSince1970: 1_369_353_600)  // 20130524T000000Z
    static let host = ("host", "examplebucket.s3.amazonaws.com")

    static func signature(_ request: SigV4Request, payloadHash: String = SigV4Signer.emptyPayloadHash) -> String {
        var request = request
        return signer.sign(&request, payloadHash: payloadHash, at: instant).signature
    }

    @Test func getObjectWithRange() {
        let request = SigV4Request(method: "GET", path: "/test.txt", headers: HTTPHeaders([Self.host, ("Range", "bytes=0-9")]))
        #expect(Self.signature(request) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func putObject() {
        let request = SigV4Request(
            method: "PUT", path: "/test$file.text",
            headers: HTTPHeaders([
                Self.host, ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ]))
        #expect(SHA256Hex.of("Welcome to Amazon S3.") == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        #expect(
            Self.signature(request, payloadHash: SHA256Hex.of("Welcome to Amazon S3."))
                == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func getBucketLifecycle() {
        let request = SigV4Request(
            method: "GET", path: "/", query: [URLQueryItem(name: "lifecycle", value: nil)], headers: HTTPHeaders([Self.host]))
        #expect(Self.signature(request) == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func listObjects() {
        let request = SigV4Request(
            method: "GET", path: "/",
            query: [URLQueryItem(name: "max-keys", value: "2"), URLQueryItem(name: "prefix", value: "J")],
            headers: HTTPHeaders([Self.host]))
        #expect(Self.signature(request) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func presignedGet() {
        let request = SigV4Request(method: "GET", path: "/test.txt", headers: HTTPHeaders([Self.host]))
        let query = Self.signer.presignedQuery(for: request, expires: .seconds(86400), at: Self.instant)
        #expect(query.map(\.name) == [
            "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature",
        ])
        #expect(query.first { $0.name == "X-Amz-Credential" }?.value == "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request")
        #expect(
            query.last?.value == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test("temporary credentials: the token is signed, in the header or in the presigned query")
    func sessionToken() {
        var signer = Self.signer
        signer.credentials.sessionToken = "token/with+odd=chars"
        var request = SigV4Request(method: "GET", path: "/test.txt", headers: HTTPHeaders([Self.host]))
        let signature = signer.sign(&request, payloadHash: SigV4Signer.emptyPayloadHash, at: Self.instant)
        #expect(request.headers.first(name: "x-amz-security-token") == "token/with+odd=chars")
        #expect(signature.authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        let query = signer.presignedQuery(for: request, expires: .seconds(60), at: Self.instant)
        #expect(query.first { $0.name == "X-Amz-Security-Token" }?.value == "token/with+odd=chars")
    }

    @Test("keys are encoded once, byte by byte, with only / and the unreserved characters kept")
    func keyEncoding() {
        var request = SigV4Request(
            method: "GET", path: "/bucket/a b+c/ü$&=?#%//./x", headers: HTTPHeaders([Self.host]))
        let signature = Self.signer.sign(&request, payloadHash: SigV4Signer.emptyPayloadHash, at: Self.instant)
        #expect(signature.canonicalRequest.components(separatedBy: "\n")[1]
            == "/bucket/a%20b%2Bc/%C3%BC%24%26%3D%3F%23%25//./x")
    }
}
