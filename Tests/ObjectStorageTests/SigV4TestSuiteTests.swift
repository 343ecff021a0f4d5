import Foundation
import NIOHTTP1
import ObjectStorage
import Testing

@Suite("SigV4: AWS's published test suite")
struct SigV4TestSuiteTests {
    /// Not compared with their expected files, because S3 does not normalize paths (the suite's
    /// normalize-path/normalize-path.txt says so) and these expect normalized ones: for S3,
    /// `//example//` is a different key from `/example/`. `pathsAreNotNormalized` checks them
    /// instead: everything as expected except the path, which is signed as it is.
    static let normalizedPathVectors: Set<String> = [
        "normalize-path/get-relative", "normalize-path/get-relative-relative", "normalize-path/get-slash",
        "normalize-path/get-slash-dot-slash", "normalize-path/get-slash-pointless-dot", "normalize-path/get-slashes",
    ]
    static var comparedVectors: [String] { SigV4TestVector.all.filter { !normalizedPathVectors.contains($0) } }

    @Test("the whole suite is there") func suiteIsComplete() {
        #expect(SigV4TestVector.all.count == 34)
        #expect(Self.normalizedPathVectors.isSubset(of: SigV4TestVector.all))
    }

    @Test("canonical request, string to sign and Authorization are AWS's", arguments: comparedVectors)
    func vector(name: String) throws {
        let vector = try SigV4TestVector(name)
        var request = vector.request
        let signature = Self.signer(vector).sign(&request, payloadHash: vector.payloadHash, at: SigV4TestVector.instant)
        #expect(signature.canonicalRequest == vector.canonicalRequest)
        #expect(signature.stringToSign == vector.stringToSign)
        #expect(signature.authorization == vector.authorization)
        #expect(request.headers.first(name: "Authorization") == vector.authorization)
        #expect(request.headers.first(name: "x-amz-security-token") == vector.sessionToken)
    }

    @Test("S3 signs the path as it is: no dot segments removed, no slashes merged", arguments: normalizedPathVectors.sorted())
    func pathsAreNotNormalized(name: String) throws {
        let vector = try SigV4TestVector(name)
        var request = vector.request
        let signature = Self.signer(vector).sign(&request, payloadHash: vector.payloadHash, at: SigV4TestVector.instant)
        var expected = vector.canonicalRequest.components(separatedBy: "\n")
        expected[1] = vector.request.path
        #expect(signature.canonicalRequest.components(separatedBy: "\n") == expected)
        #expect(signature.canonicalRequest != vector.canonicalRequest)
    }

    private static func signer(_ vector: SigV4TestVector) -> SigV4Signer {
        var credentials = SigV4TestVector.credentials
        credentials.sessionToken = vector.sessionToken
        return SigV4Signer(credentials: credentials, region: SigV4TestVector.region, service: SigV4TestVector.service)
    }
}
