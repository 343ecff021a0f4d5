import API
import Foundation
import Jobs
import ObjectStorage
import Recorder
import Worker

/// The copies of a recording's files in object storage, for the API: a presigned URL to send a
/// client to once the local copy is gone, and deleting them when a job's files are purged.
struct StoredRecordingCopies: Sendable {
    let client: S3Client
    /// How long a presigned URL stays good: long enough to download a long recording.
    var presignedURLLifetime: Duration = .seconds(3_600)

    func presignedURL(job: RecordingJob, file: RecordingFile) -> URL? {
        let location: String? = switch file {
        case .manifest: job.manifestLocation
        case .output(let output): output.location
        }
        guard let object = location.flatMap(S3ObjectURL.init(parsing:)) else { return nil }
        return URL(string: client.presignedGetURL(bucket: object.bucket, key: object.key, expires: presignedURLLifetime))
    }

    /// Deletes every object the job's outputs and manifest were delivered to, and the speaker
    /// timeline delivered beside the manifest. S3 answers a delete of a missing object with
    /// success, so purging twice (or a recording from before speaker timelines) is harmless.
    func delete(job: RecordingJob) async throws {
        let manifest = [job.manifestLocation].compactMap { $0 }
        let speakerTimeline = manifest.filter { $0.hasSuffix(ManifestWriter.fileName) }.map { location in
            String(location.dropLast(ManifestWriter.fileName.count)) + RecordingManifest.SpeakerTimelineFile.fileName
        }
        let locations = job.outputs.compactMap(\.location) + speakerTimeline + manifest
        for object in locations.compactMap(S3ObjectURL.init(parsing:)) {
            try await client.deleteObject(bucket: object.bucket, key: object.key)
        }
    }

    /// The file access the API is given: local files, and these copies when the environment
    /// configures S3 (otherwise there is nothing to redirect to or delete).
    static func fileAccess(dataDirectory: String, storage: StorageConfiguration) -> RecordingFileAccess {
        guard let s3 = storage.s3 else { return RecordingFileAccess(dataDirectory: dataDirectory) }
        let copies = StoredRecordingCopies(client: S3Client(configuration: s3))
        return RecordingFileAccess(
            dataDirectory: dataDirectory,
            presignedURL: { job, file in copies.presignedURL(job: job, file: file) },
            deleteStoredFiles: { job in try await copies.delete(job: job) })
    }
}
