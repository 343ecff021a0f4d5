import Foundation
import Jobs

/// One file of a recording the API serves: its manifest, or one of the outputs it lists.
public enum RecordingFile: Sendable, Equatable {
    case manifest
    case output(JobOutput)

    /// Relative to the recording's folder.
    public var path: String {
        switch self {
        case .manifest: "manifest.json"
        case .output(let output): output.path
        }
    }
}

/// Where the API finds recordings' files, and what it does about those no longer on its disk.
/// Whoever runs the API supplies it (`tapedeck serve`); the API itself knows no object storage.
public struct RecordingFileAccess: Sendable {
    /// The data directory jobs' `outputDirectory` is relative to.
    public var dataDirectory: String
    /// A URL the client can fetch the file from when the local copy is gone (a presigned S3
    /// URL), or nil when it is stored nowhere else. Asked for the manifest, and for an output
    /// that has a `location`. The API answers 307 to it.
    public var presignedURL: @Sendable (RecordingJob, RecordingFile) async throws -> URL?
    /// Deletes the job's delivered copies when it is purged (see `JobFilesPurger`).
    public var deleteStoredFiles: @Sendable (RecordingJob) async throws -> Void

    public init(dataDirectory: String,
                presignedURL: @escaping @Sendable (RecordingJob, RecordingFile) async throws -> URL? = { _, _ in nil },
                deleteStoredFiles: @escaping @Sendable (RecordingJob) async throws -> Void = { _ in }) {
        self.dataDirectory = dataDirectory
        self.presignedURL = presignedURL
        self.deleteStoredFiles = deleteStoredFiles
    }

    var purger: JobFilesPurger { JobFilesPurger(dataDirectory: dataDirectory, deleteStoredFiles: deleteStoredFiles) }
}
