import Foundation
import NIOFileSystem
import ObjectStorage
import Testing

/// FileUploader against moto enforcing SigV4: multipart in parallel, resuming a killed upload,
/// and never leaving an upload behind by accident.
@Suite("FileUploader against moto")
struct FileUploaderMotoTests {
    static let mebibyte = 1024 * 1024

    struct Fixture {
        let moto: MotoServer
        let client: S3Client
        let directory: TemporaryDirectory
        /// A key prefix of this test's own, so ListMultipartUploads sees only its uploads.
        let prefix = "\(UUID())/"

        init() async throws {
            moto = try await MotoServer.shared()
            client = S3Client(configuration: moto.configuration())
            directory = try TemporaryDirectory()
        }

        func uploader(parallel: Int = 4) -> FileUploader {
            FileUploader(client: client, partSize: Int64(5 * mebibyte), maxConcurrentParts: parallel)
        }

        func downloaded(_ key: String) async throws -> Data {
            let path = directory.path("downloaded-\(UUID())")
            try await client.getObject(bucket: moto.bucket, key: key, to: path)
            return try directory.contents(path)
        }

        func incompleteUploads() async throws -> [MultipartUploadSummary] {
            try await client.listMultipartUploads(bucket: moto.bucket, prefix: prefix)
        }
    }

    @Test("a 20 MiB file in 5 MiB parts, 4 at a time: the object is the file, no upload left over")
    func multipart() async throws {
        let fixture = try await Fixture()
        defer { fixture.directory.remove() }
        let file = try fixture.directory.randomFile("recording.webm", size: 20 * Self.mebibyte + 12345)
        let key = fixture.prefix + "recording.webm"

        let started = ContinuousClock.now
        let result = try await fixture.uploader().upload(
            file: file.path, bucket: fixture.moto.bucket, key: key, contentType: "video/webm")
        let elapsed = ContinuousClock.now - started
        print("multipart upload of \(file.bytes.count) bytes to moto in 5 parts: \(elapsed), "
            + "\(Double(file.bytes.count) / Double(Self.mebibyte) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)) MiB/s")

        #expect(result.uploadID != nil)
        #expect(result.partsUploaded == 5 && result.partsReused == 0)
        #expect(result.size == Int64(file.bytes.count))
        #expect(result.etag?.hasSuffix("-5\"") == true, "a multipart ETag names its part count")
        #expect(try await fixture.downloaded(key) == file.bytes)
        #expect(try await fixture.incompleteUploads().isEmpty)
    }

    @Test("a file smaller than a part goes up in one PutObject")
    func small() async throws {
        let fixture = try await Fixture()
        defer { fixture.directory.remove() }
        let file = try fixture.directory.randomFile("manifest.json", size: 3000)
        let key = fixture.prefix + "manifest.json"
        let result = try await fixture.uploader().upload(file: file.path, bucket: fixture.moto.bucket, key: key)
        #expect(result.uploadID == nil)
        #expect(try await fixture.downloaded(key) == file.bytes)
    }

    @Test("killed after two parts, resumed from the persisted state: the same upload id completes with the file's bytes")
    func resume() async throws {
        let fixture = try await Fixture()
        defer { fixture.directory.remove() }
        let file = try fixture.directory.randomFile("long.webm", size: 20 * Self.mebibyte)
        let key = fixture.prefix + "long.webm"
        let stateFile = fixture.directory.url.appendingPathComponent("upload-state.json")

        // The first attempt persists its state as a job store would, and is killed (cancelled:
        // it runs no clean-up of its own) once two parts are recorded. One part at a time, so
        // that no request is in flight at the kill: such a request can still land on moto
        // hundreds of milliseconds later, and when it lands while the resume uploads the same
        // part, moto once refused the completion (InvalidPart) — a race inside moto.
        let (twoParts, signal) = AsyncStream<Void>.makeStream()
        let first = Task {
            try await fixture.uploader(parallel: 1).upload(file: file.path, bucket: fixture.moto.bucket, key: key) { state in
                try JSONEncoder().encode(state).write(to: stateFile)
                if state.parts.count == 2 {
                    signal.yield()
                    try await Task.sleep(for: .seconds(60))
                }
            }
        }
        for await _ in twoParts { break }
        first.cancel()
        let firstOutcome = await first.result
        #expect(throws: (any Error).self) { try firstOutcome.get() }

        let saved = try JSONDecoder().decode(UploadState.self, from: Data(contentsOf: stateFile))
        #expect(saved.parts.map(\.partNumber) == [1, 2])
        #expect(try await fixture.incompleteUploads().map(\.uploadID) == [saved.uploadID], "a killed upload is not aborted")
        // A part that reached the server after the last save, as when a process dies between
        // the part's response and the job store's write: the resume must find it there.
        _ = try await fixture.client.uploadPart(
            bucket: fixture.moto.bucket, key: key, uploadID: saved.uploadID, partNumber: 3, file: file.path,
            range: Int64(10 * Self.mebibyte)..<Int64(15 * Self.mebibyte))

        let result = try await fixture.uploader().upload(
            file: file.path, bucket: fixture.moto.bucket, key: key, resuming: saved)
        #expect(result.uploadID == saved.uploadID)
        #expect(result.partsReused == 3 && result.partsUploaded == 1)
        #expect(try await fixture.downloaded(key) == file.bytes)
        #expect(try await fixture.incompleteUploads().isEmpty)
    }

    @Test("a failure after a part was uploaded aborts the upload, unless it is to be kept for a resume")
    func failureAborts() async throws {
        let fixture = try await Fixture()
        defer { fixture.directory.remove() }
        let file = try fixture.directory.randomFile("big.webm", size: 12 * Self.mebibyte)
        struct JobStoreDown: Error {}
        let failAfterFirstPart: @Sendable (UploadState) async throws -> Void = { state in
            if state.parts.count == 1 { throw JobStoreDown() }
        }

        await #expect(throws: JobStoreDown.self) {
            try await fixture.uploader(parallel: 1).upload(
                file: file.path, bucket: fixture.moto.bucket, key: fixture.prefix + "aborted.webm", saveState: failAfterFirstPart)
        }
        #expect(try await fixture.incompleteUploads().isEmpty)

        let kept = Saved()
        await #expect(throws: JobStoreDown.self) {
            try await fixture.uploader(parallel: 1).upload(
                file: file.path, bucket: fixture.moto.bucket, key: fixture.prefix + "kept.webm", onFailure: .keepForResume
            ) { state in
                await kept.set(state)
                try await failAfterFirstPart(state)
            }
        }
        let state = try #require(await kept.state)
        #expect(try await fixture.incompleteUploads().map(\.uploadID) == [state.uploadID])
        let result = try await fixture.uploader().upload(
            file: file.path, bucket: fixture.moto.bucket, key: fixture.prefix + "kept.webm", resuming: state)
        #expect(result.uploadID == state.uploadID && result.partsReused == 1)
        #expect(try await fixture.downloaded(fixture.prefix + "kept.webm") == file.bytes)
        #expect(try await fixture.incompleteUploads().isEmpty)
    }

    actor Saved {
        var state: UploadState?
        func set(_ state: UploadState) { self.state = state }
    }
}
