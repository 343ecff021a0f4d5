import Foundation
import Jobs
import Logging
import NIOFileSystem
import ObjectStorage
import Recorder

/// The recording a render job makes again, wherever it is: its folder on this worker's disk when
/// its raw captures are there (one machine, or a shared data directory), else its captures and
/// manifest downloaded from where its worker delivered them (a fleet: any worker with the
/// bucket's credentials renders any recording), into a folder of the render job's own that goes
/// when the render is over.
struct JobRenderSource: RenderSource {
    let recording: RecordingJob
    let dataDirectory: String
    /// Where downloaded captures go: inside the render job's folder, so a worker killed meanwhile
    /// leaves nothing that the job's purge does not take.
    let staging: String
    let storage: StorageConfiguration?
    let logger: Logger

    func folder() async throws -> String {
        let local = (dataDirectory as NSString).appendingPathComponent(recording.outputDirectory ?? "recordings/\(recording.id)")
        if let here = try? RecordingRender.captureFiles(in: local), !here.isEmpty { return local }
        let stored = recording.outputs.filter { $0.kind == .capture && $0.location != nil }
        guard !stored.isEmpty else {
            throw RecordingRender.Failure(description: "recording \(recording.id) has no raw capture, on this worker's disk or in "
                                          + "object storage: it was recorded with `capture: false`, or its files were not delivered")
        }
        guard let s3 = storage?.s3 else {
            throw JobRunRefusal(description: "recording \(recording.id)'s raw captures are in object storage and this worker has "
                                + "no S3 configuration (\(storage?.credentialsProblem ?? "none was given"))")
        }
        let client = S3Client(configuration: s3, logger: logger)
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        if let location = recording.manifestLocation.flatMap(S3ObjectURL.init(parsing:)) {
            try await download(location, to: ManifestWriter.fileName, client: client, expectedBytes: nil)
        }
        for capture in stored {
            guard let location = capture.location.flatMap(S3ObjectURL.init(parsing:)) else { continue }
            try await download(location, to: (capture.path as NSString).lastPathComponent, client: client, expectedBytes: capture.bytes)
        }
        logger.info("fetched the raw captures to render", metadata: ["recording": "\(recording.id)", "captures": "\(stored.count)",
                                                                    "bytes": "\(stored.reduce(0) { $0 + $1.bytes })"])
        return staging
    }

    func release() {
        try? FileManager.default.removeItem(atPath: staging)
    }

    private func download(_ location: S3ObjectURL, to name: String, client: S3Client, expectedBytes: Int?) async throws {
        let path = (staging as NSString).appendingPathComponent(name)
        let bytes = try await client.getObject(bucket: location.bucket, key: location.key, to: FilePath(path))
        if let expectedBytes, bytes != expectedBytes {
            throw JobRunRefusal(description: "\(location) holds \(bytes) bytes, not the \(expectedBytes) its recording delivered")
        }
    }
}
