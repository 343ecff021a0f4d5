import Foundation
import Testing

@testable import Worker

@Suite struct WebhookSignatureTests {
    private let body = Data(#"{"a":1}"#.utf8)

    /// The expected value is Python's `hmac.new(b"s3cret", b'1700000000.{"a":1}', hashlib.sha256)`,
    /// what a receiver written in another language computes.
    @Test func theHeaderIsHMACSHA256OfTimestampDotBody() {
        let header = WebhookSignature(secret: "s3cret").header(body: body, timestamp: 1_700_000_000)
        #expect(header == "t=1700000000,v1=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940")
    }

    @Test func verifyAcceptsOnlyTheSameSecretBodyAndTimestamp() {
        let signature = WebhookSignature(secret: "s3cret")
        let header = signature.header(body: body, timestamp: 1_700_000_000)
        #expect(signature.verify(header: header, body: body))
        #expect(!WebhookSignature(secret: "another").verify(header: header, body: body))
        #expect(!signature.verify(header: header, body: Data(#"{"a":2}"#.utf8)))
        #expect(!signature.verify(header: header.replacingOccurrences(of: "t=1700000000", with: "t=1700000001"), body: body))
        for garbage in ["", "t=1", "v1=00", "t=x,v1=00", ",,,", "t=1700000000,v1="] {
            #expect(!signature.verify(header: garbage, body: body), "\(garbage)")
        }
    }
}
