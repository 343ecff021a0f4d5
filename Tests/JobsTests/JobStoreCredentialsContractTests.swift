import Foundation
import JobStoreTestSupport
import Testing

@testable import Jobs

/// A job's room credentials (`signaling_token`, `ice_servers`, `bot_name`), against both stores:
/// the store keeps them for the worker; the job's JSON never carries the secrets.
@Suite struct JobStoreCredentialsContractTests {
    static let spec = RecordingJobSpec(
        room: "board", signalingURL: "wss://signal.example/ws", recipe: "webm",
        signalingToken: SecretText("eyJhbGciOiJIUzI1NiJ9.e30.token-secret"),
        iceServers: [
            RoomIceServer(urls: ["stun:stun.example.org:3478"]),
            RoomIceServer(urls: ["turn:turn.example.org:3478", "turn:[2001:db8::1]:3478"], username: "1800000000:bot",
                          credential: SecretText("turn-password")),
        ],
        botName: "Board minutes")

    @Test(arguments: StoreBackend.allCases)
    func credentialsReadBackAsWritten(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let job = try await store.createJob(Self.spec, now: t0)
            #expect(job.spec == Self.spec)
            let read = try #require(try await store.job(id: job.id))
            #expect(read.spec.signalingToken?.revealed == "eyJhbGciOiJIUzI1NiJ9.e30.token-secret")
            #expect(read.spec.iceServers == Self.spec.iceServers)
            #expect(read.spec.botName == "Board minutes")
            // And after the worker's writes (claim, progress), which save the whole row.
            let claimed = try #require(try await store.claim(worker: "w", capacity: 1, leaseDuration: .seconds(30), now: t0))
            #expect(claimed.spec == Self.spec)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobWithoutCredentialsHasNone(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let job = try await store.createJob(recordingSpec(), now: t0)
            let read = try #require(try await store.job(id: job.id))
            #expect(read.spec.signalingToken == nil && read.spec.iceServers.isEmpty && read.spec.botName == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func webhookEventBodiesCarryNoSecret(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let job = try await store.createJob(Self.spec, now: t0)
            _ = try await store.cancel(id: job.id, now: at(1))
            let events = try await store.webhookEvents(jobID: job.id)
            #expect(!events.isEmpty)
            for event in events {
                #expect(!event.body.contains("token-secret") && !event.body.contains("turn-password"))
                #expect(!event.body.contains("1800000000:bot"))
                #expect(event.body.contains(#""signaling_token_set":true"#))
            }
        }
    }
}

/// The job's JSON: what the API returns and webhooks carry.
@Suite struct RecordingJobCredentialsJSONTests {
    let job: RecordingJob = {
        var job = RecordingJob(id: "j1", state: .queued, spec: JobStoreCredentialsContractTests.spec, cpuCost: 0.05,
                               createdAt: t0, maxAttempts: 3, idempotencyKey: nil)
        job.updatedAt = t0
        return job
    }()

    @Test func encodingShowsThatSecretsWereGivenButNotThem() throws {
        let text = String(decoding: try RecordingJobJSON.encoder().encode(job), as: UTF8.self)
        #expect(!text.contains("token-secret") && !text.contains("turn-password") && !text.contains("1800000000:bot"))
        #expect(text.contains(#""signaling_token_set":true"#))
        #expect(text.contains(#""ice_servers":[{"credential_set":false,"urls":["stun:stun.example.org:3478"]},"#
                              + #"{"credential_set":true,"urls":["turn:turn.example.org:3478","turn:[2001:db8::1]:3478"]}]"#))
        #expect(text.contains(#""bot_name":"Board minutes""#))
    }

    @Test func decodingTheJSONKeepsWhatItShowsAndNoSecret() throws {
        let decoded = try RecordingJobJSON.decoder().decode(RecordingJob.self, from: RecordingJobJSON.encoder().encode(job))
        #expect(decoded.spec.signalingToken == nil)
        #expect(decoded.spec.iceServers.map(\.urls) == job.spec.iceServers.map(\.urls))
        #expect(decoded.spec.iceServers.allSatisfy { $0.username == nil && $0.credential == nil })
        #expect(decoded.spec.botName == "Board minutes")
        // Encoding again gives the same public JSON, except that the token is no longer known.
        let again = String(decoding: try RecordingJobJSON.encoder().encode(decoded), as: UTF8.self)
        #expect(again.contains(#""signaling_token_set":false"#))
    }

    @Test func aJobWithoutCredentialsSaysSo() throws {
        var plain = job
        plain.spec = recordingSpec()
        let text = String(decoding: try RecordingJobJSON.encoder().encode(plain), as: UTF8.self)
        #expect(text.contains(#""signaling_token_set":false"#))
        #expect(!text.contains("ice_servers") && !text.contains("bot_name"))
    }

    @Test func descriptionsAndDumpsAreRedacted() {
        var dumped = ""
        dump(job, to: &dumped)
        for text in ["\(job)", String(reflecting: job), dumped] {
            #expect(!text.contains("token-secret") && !text.contains("turn-password"), "\(text.prefix(200))")
        }
    }
}
