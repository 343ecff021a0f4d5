import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobStoreTestSupport
import Testing

@testable import API

/// The request log's id: echoed to the client on every answer, problems included.
@Suite struct RequestLogTests {
    @Test func everyAnswerCarriesTheRequestID() async throws {
        try await StoreBackend.sqlite.withStore { store in
            try await APIHarness(store: store).run { client in
                let header = RequestLogMiddleware<BasicRequestContext>.requestIDHeader
                let given = try await client.send(.get, "/v1/recordings", headers: [header: "trace-42"])
                #expect(given.status == .ok && given.headers[header] == "trace-42")

                let made = try await client.send(.get, "/v1/recordings/no-such-job")
                #expect(made.status == .notFound)
                #expect(UUID(uuidString: made.headers[header] ?? "") != nil, "a new id for a request without one")

                let unroutable = try await client.send(.get, "/nowhere", headers: [header: "has space"])
                #expect(unroutable.status == .notFound)
                #expect(unroutable.headers[header] != "has space", "an id that is not visible ASCII is replaced")
            }
        }
    }

    @Test func readsOnlySaneIDs() {
        #expect(RequestLogMiddleware<BasicRequestContext>.requestID(from: "abc-123") == "abc-123")
        for bad in ["", String(repeating: "x", count: 129), "tab\there", "é"] {
            #expect(RequestLogMiddleware<BasicRequestContext>.requestID(from: bad) != bad)
        }
    }
}
