import HTTPTypes
import Testing

@testable import API

@Suite struct BearerTokenTests {
    let token = BearerToken("s3cret-token")!

    @Test func acceptsItsOwnToken() throws {
        try token.accepts(authorization: "Bearer s3cret-token")
        try token.accepts(authorization: "bearer s3cret-token")
    }

    @Test(arguments: [
        (nil, "send the API token as Authorization: Bearer <token>"),
        ("s3cret-token", "the Authorization header must read Bearer <token>"),
        ("Basic czNjcmV0LXRva2Vu", "must read Bearer"),
        ("Bearer ", "must read Bearer"),
        ("Bearer s3cret-toke", "the bearer token is not this server's"),
        ("Bearer s3cret-token2", "not this server's"),
        ("Bearer S3CRET-TOKEN", "not this server's"),
        ("Bearer  s3cret-token", "not this server's"),
    ] as [(String?, String)])
    func refusesAnythingElseWith401(_ header: String?, _ detail: String) {
        do {
            try token.accepts(authorization: header)
            Issue.record("accepted \(header ?? "nil")")
        } catch {
            #expect(error.status == .unauthorized && error.title == "Unauthorized")
            #expect(error.detail == detail || error.detail.contains(detail))
            #expect(error.headers[.wwwAuthenticate] == "Bearer realm=\"tapedeck\"")
        }
    }

    @Test func anEmptyTokenIsNoToken() {
        #expect(BearerToken("") == nil)
    }

    @Test func comparesWholeByteStrings() {
        #expect(BearerToken.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!BearerToken.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!BearerToken.constantTimeEqual(Array("abc".utf8), Array("abc\0".utf8)), "a trailing NUL is not equal")
        #expect(!BearerToken.constantTimeEqual([], Array("a".utf8)))
        #expect(BearerToken.constantTimeEqual([], []))
    }
}
