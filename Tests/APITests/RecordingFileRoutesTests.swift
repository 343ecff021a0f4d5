import Foundation
import HTTPTypes
import HummingbirdTesting
import Jobs
import NIOCore
import JobStoreTestSupport
import Synchronization
import Testing

@testable import API

/// The manifest and files routes over real stores and real files: ranges, names, redirects to
/// delivered copies, and what is said when a file is not there.
@Suite(.serialized) struct RecordingFileRoutesTests {
    @Test(arguments: StoreBackend.allCases)
    func servesAFileWholeOrByTheRangeAsked(_ kind: StoreBackend) async throws {
        try await RecordingDataDirectory.with { data in
            try await kind.withStore { store in
                let harness = APIHarness(store: store, files: RecordingFileAccess(dataDirectory: data.url.path))
                let contents = distinctBytes(5000)
                let job = try await data.recordedJob(store, files: [("alice.webm", contents)], now: harness.clock.now)
                let path = "/v1/recordings/\(job.id)/files/alice.webm"
                try await harness.run { client in
                    let whole = try await client.send(.get, path)
                    #expect(whole.status == .ok)
                    #expect(Data(whole.body.readableBytesView) == contents)
                    #expect(whole.headers[.contentType] == "video/webm" && whole.headers[.acceptRanges] == "bytes")
                    #expect(whole.headers[.contentLength] == "5000" && whole.headers[.contentRange] == nil)

                    let part = try await client.send(.get, path, headers: [.range: "bytes=1000-1999"])
                    #expect(part.status == .partialContent)
                    #expect(Data(part.body.readableBytesView) == contents[1000...1999])
                    #expect(part.headers[.contentRange] == "bytes 1000-1999/5000" && part.headers[.contentLength] == "1000")

                    for (range, first, last) in [("bytes=4000-", 4000, 4999), ("bytes=-500", 4500, 4999),
                                                 ("bytes=4990-99999", 4990, 4999), ("bytes=-99999", 0, 4999),
                                                 ("bytes=0-0", 0, 0), (" bytes = 7-8 ", 7, 8)] {
                        let response = try await client.send(.get, path, headers: [.range: range])
                        #expect(response.status == .partialContent, "\(range)")
                        #expect(Data(response.body.readableBytesView) == contents[first...last], "\(range)")
                        #expect(response.headers[.contentRange] == "bytes \(first)-\(last)/5000", "\(range)")
                    }

                    for range in ["bytes=5000-", "bytes=9000-9999", "bytes=-0", "bytes=5-3", "bytes=abc", "bytes=1-2-3", "bytes=-"] {
                        let refused = try await client.send(.get, path, headers: [.range: range])
                        #expect(refused.status == .rangeNotSatisfiable, "\(range)")
                        #expect(refused.headers[.contentRange] == "bytes */5000", "\(range)")
                        let problem = try refused.problem()
                        #expect(problem.field == "Range" && problem.detail.contains("5000 bytes"), "\(problem.detail)")
                    }

                    // Several ranges, another unit, or an If-Range: the whole file, as RFC 9110 allows.
                    for headers: HTTPFields in [[.range: "bytes=0-1,5-6"], [.range: "items=0-1"],
                                                [.range: "bytes=0-1", .ifRange: "\"etag\""]] {
                        let response = try await client.send(.get, path, headers: headers)
                        #expect(response.status == .ok && Data(response.body.readableBytesView) == contents, "\(headers)")
                    }

                    let head = try await client.send(.head, path)
                    #expect(head.status == .ok && head.body.readableBytes == 0)
                    #expect(head.headers[.contentLength] == "5000" && head.headers[.acceptRanges] == "bytes")
                    let headPart = try await client.send(.head, path, headers: [.range: "bytes=-10"])
                    #expect(headPart.status == .partialContent && headPart.headers[.contentRange] == "bytes 4990-4999/5000")
                }
            }
        }
    }

    @Test func aRangeIsServedOverARealSocketToo() async throws {
        try await RecordingDataDirectory.with { data in
            try await StoreBackend.sqlite.withStore { store in
                let harness = APIHarness(store: store, files: RecordingFileAccess(dataDirectory: data.url.path))
                // Larger than a chunk read from disk, so the body is streamed in several.
                let contents = distinctBytes(700_000)
                let job = try await data.recordedJob(store, files: [("alice.webm", contents)], now: harness.clock.now)
                try await harness.run(.live) { client in
                    let part = try await client.send(.get, "/v1/recordings/\(job.id)/files/alice.webm",
                                                     headers: [.range: "bytes=100000-600000"])
                    #expect(part.status == .partialContent)
                    #expect(Data(part.body.readableBytesView) == contents[100_000...600_000])
                    let whole = try await client.send(.get, "/v1/recordings/\(job.id)/files/alice.webm")
                    #expect(Data(whole.body.readableBytesView) == contents)
                }
            }
        }
    }

    @Test func namesWithFoldersAndMediaTypesByExtension() async throws {
        try await RecordingDataDirectory.with { data in
            try await StoreBackend.sqlite.withStore { store in
                let harness = APIHarness(store: store, files: RecordingFileAccess(dataDirectory: data.url.path))
                let job = try await data.recordedJob(store, files: [
                    ("alice/camera.webm", Data("w".utf8)), ("bob.mp4", Data("m".utf8)), ("carol.ogg", Data("o".utf8)),
                    ("dave.bin", Data("b".utf8)),
                ], now: harness.clock.now)
                try await harness.run { client in
                    for (name, type) in [("alice/camera.webm", "video/webm"), ("alice%2Fcamera.webm", "video/webm"),
                                         ("bob.mp4", "video/mp4"), ("carol.ogg", "audio/ogg"), ("dave.bin", "application/octet-stream")] {
                        let response = try await client.send(.get, "/v1/recordings/\(job.id)/files/\(name)")
                        #expect(response.status == .ok && response.headers[.contentType] == type, "\(name)")
                    }
                }
            }
        }
    }

    @Test func onlyTheFilesTheJobListsAreServed() async throws {
        try await RecordingDataDirectory.with { data in
            try await StoreBackend.sqlite.withStore { store in
                let harness = APIHarness(store: store, files: RecordingFileAccess(dataDirectory: data.url.path))
                let job = try await data.recordedJob(store, files: [("alice/camera.webm", Data("w".utf8))], now: harness.clock.now)
                // Files that exist, but that no output names: another job's, one outside the data
                // directory's recordings, a file of the folder the job does not list.
                let other = try await data.recordedJob(store, files: [("bob.webm", Data("b".utf8))], now: harness.clock.now)
                try Data("secret".utf8).write(to: data.url.appendingPathComponent("secret.txt"))
                try Data("x".utf8).write(to: data.folder(of: job).appendingPathComponent("manifest.attempt-1.json"))
                try await harness.run { client in
                    let base = "/v1/recordings/\(job.id)/files/"
                    for name in ["../\(other.id)/bob.webm", "..%2F..%2Fsecret.txt", "%2E%2E/%2E%2E/secret.txt",
                                 "%2Fetc%2Fpasswd", "/etc/passwd", "alice//camera.webm", "./alice/camera.webm", "alice/", "%ZZ"] {
                        let refused = try await client.send(.get, base + name)
                        #expect(refused.status == .badRequest, "\(name)")
                        let problem = try refused.problem()
                        #expect(problem.type == "urn:tapedeck:problem:invalid-file-name" && problem.field == "name", "\(name)")
                    }
                    for name in ["manifest.attempt-1.json", "bob.webm", "alice", "camera.webm"] {
                        let missing = try await client.send(.get, base + name)
                        #expect(missing.status == .notFound, "\(name)")
                        let problem = try missing.problem()
                        #expect(problem.type == "urn:tapedeck:problem:file-not-found", "\(name)")
                        #expect(problem.detail.contains("its files are alice/camera.webm"), "\(problem.detail)")
                    }
                    let noJob = try await client.send(.get, "/v1/recordings/no-such-job/files/alice/camera.webm")
                    #expect(noJob.status == .notFound)
                    #expect(try noJob.problem().type == "urn:tapedeck:problem:recording-not-found")
                    let wrongMethod = try await client.send(.post, base + "alice/camera.webm")
                    #expect(wrongMethod.status == .methodNotAllowed && wrongMethod.headers[.allow] == "GET, HEAD")
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func theManifestIsServedAsJSON(_ kind: StoreBackend) async throws {
        try await RecordingDataDirectory.with { data in
            try await kind.withStore { store in
                let harness = APIHarness(store: store, files: RecordingFileAccess(dataDirectory: data.url.path))
                let job = try await data.recordedJob(store, files: [("alice.webm", Data("w".utf8))], now: harness.clock.now,
                                                     manifest: #"{"recordingId":"x","state":"finished"}"#)
                let waiting = try await store.create(RecordingJobSpec(room: "r", signalingURL: "ws://h", recipe: "webm"), cpuCost: 0.05,
                                                     maxAttempts: 3, idempotencyKey: nil, now: harness.clock.now).job
                try await harness.run { client in
                    let manifest = try await client.send(.get, "/v1/recordings/\(job.id)/manifest")
                    #expect(manifest.status == .ok && manifest.headers[.contentType] == "application/json")
                    #expect(manifest.text == #"{"recordingId":"x","state":"finished"}"#)

                    let notYet = try await client.send(.get, "/v1/recordings/\(waiting.id)/manifest")
                    #expect(notYet.status == .notFound)
                    #expect(try notYet.problem().detail == "recording \(waiting.id) has not written any files yet (it is queued)")

                    try FileManager.default.removeItem(at: data.folder(of: job))
                    let elsewhere = try await client.send(.get, "/v1/recordings/\(job.id)/manifest")
                    #expect(elsewhere.status == .notFound)
                    let problem = try elsewhere.problem()
                    #expect(problem.type == "urn:tapedeck:problem:file-unavailable")
                    #expect(problem.detail.contains("is not on this server's disk") && problem.detail.contains("another worker's disk"))
                }
            }
        }
    }

    @Test func onceTheLocalCopyIsGoneADeliveredFileIsARedirectToItsPresignedURL() async throws {
        try await RecordingDataDirectory.with { data in
            try await StoreBackend.sqlite.withStore { store in
                let asked = Mutex<[String]>([])
                let harness = APIHarness(store: store, files: RecordingFileAccess(dataDirectory: data.url.path, presignedURL: { job, file in
                    asked.withLock { $0.append(file.path) }
                    if case .output(let output) = file, output.location == nil { Issue.record("presigned without a location") }
                    return URL(string: "https://bucket.s3.example.com/\(job.id)/\(file.path)?X-Amz-Signature=abc")
                }))
                let job = try await data.recordedJob(store, files: [("alice.webm", Data("w".utf8)), ("bob.webm", Data("b".utf8))],
                                                     now: harness.clock.now, locations: ["alice.webm": "s3://bucket/r/alice.webm"])
                try await harness.run { client in
                    // While the local copy is there, it is served.
                    #expect(try await client.send(.get, "/v1/recordings/\(job.id)/files/alice.webm").text == "w")
                    #expect(asked.withLock { $0 }.isEmpty)

                    try FileManager.default.removeItem(at: data.folder(of: job))
                    let redirect = try await client.send(.get, "/v1/recordings/\(job.id)/files/alice.webm")
                    #expect(redirect.status == .temporaryRedirect)
                    #expect(redirect.headers[.location] == "https://bucket.s3.example.com/\(job.id)/alice.webm?X-Amz-Signature=abc")
                    let manifest = try await client.send(.get, "/v1/recordings/\(job.id)/manifest")
                    #expect(manifest.status == .temporaryRedirect)
                    #expect(manifest.headers[.location] == "https://bucket.s3.example.com/\(job.id)/manifest.json?X-Amz-Signature=abc")
                    #expect(asked.withLock { $0 } == ["alice.webm", "manifest.json"])

                    // bob.webm was never delivered: nowhere to send the client.
                    let lost = try await client.send(.get, "/v1/recordings/\(job.id)/files/bob.webm")
                    #expect(lost.status == .notFound)
                    #expect(try lost.problem().type == "urn:tapedeck:problem:file-unavailable")
                }
            }
        }
    }

    @Test func aServerWithoutADataDirectorySaysSo() async throws {
        try await StoreBackend.sqlite.withStore { store in
            let harness = APIHarness(store: store)
            let job = try await store.create(RecordingJobSpec(room: "r", signalingURL: "ws://h", recipe: "webm"), cpuCost: 0.05,
                                             maxAttempts: 3, idempotencyKey: nil, now: harness.clock.now).job
            try await harness.run { client in
                let response = try await client.send(.get, "/v1/recordings/\(job.id)/manifest")
                #expect(response.status == .notFound)
                #expect(try response.problem().detail.contains("started without a data directory"))
            }
        }
    }
}
