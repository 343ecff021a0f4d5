import Foundation
import Hummingbird
import HummingbirdTesting
import Jobs

@testable import API

/// One API over one real store, driven through Hummingbird's router test client.
struct APIHarness {
    let store: any JobStore
    let clock = TestClock()
    var token: String?
    var ready: @Sendable () async throws -> Void = {}
    /// The data directory and delivered copies the files routes use.
    var files: RecordingFileAccess?
    var urlPolicy = OutboundURLPolicy.standard

    /// `POST /v1/recordings` bodies.
    static let minimalBody = #"{"room": "standup", "signaling_url": "wss://rooms.example.com/ws", "recipe": "webm"}"#

    var api: RecordingsAPI {
        RecordingsAPI(store: store, recipes: .fixture, bearerToken: token, maxAttempts: 3, files: files, urlPolicy: urlPolicy, now: { [clock] in clock.now },
                      readiness: ready, metricsText: { "# TYPE tapedeck_jobs gauge\ntapedeck_jobs{state=\"queued\"} 0\n" })
    }

    /// Runs `test` against the API: through the router alone, or `.live` over a real socket.
    func run(_ setup: TestingSetup = .router, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: api.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(setup) { client in try await test(client) }
    }
}
