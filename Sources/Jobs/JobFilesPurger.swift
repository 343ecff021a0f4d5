import Foundation

/// Deletes an ended job's files — its local folder, and whatever `deleteStoredFiles` removes from
/// where the files were delivered — and then records on the job that they are gone
/// (`filesPurgedAt`), so that asking for them later says why they are not there. Both the API's
/// `DELETE …?purge=true` and the retention sweep purge through it.
public struct JobFilesPurger: Sendable {
    /// The data directory the jobs' `outputDirectory` is relative to.
    public let dataDirectory: String
    /// Deletes the job's delivered copies (objects in a bucket); supplied by whoever configures
    /// delivery. Called first, so that a failure leaves the job unpurged and the next try repeats
    /// everything.
    public let deleteStoredFiles: @Sendable (RecordingJob) async throws -> Void

    public init(dataDirectory: String, deleteStoredFiles: @escaping @Sendable (RecordingJob) async throws -> Void = { _ in }) {
        self.dataDirectory = dataDirectory
        self.deleteStoredFiles = deleteStoredFiles
    }

    /// The job's local folder, or nil when it never had one (never claimed) or its
    /// `outputDirectory` would lead out of the data directory.
    public func localFolder(of job: RecordingJob) -> String? {
        guard let directory = job.outputDirectory, Self.isContained(relativePath: directory) else { return nil }
        return (dataDirectory as NSString).appendingPathComponent(directory)
    }

    /// Purges an ended job's files and returns the job as stored afterwards. Purging again
    /// deletes nothing more and keeps the first `filesPurgedAt`. Throws `JobStoreError.notEnded`
    /// for a job still running (nothing is deleted), `JobFilesPurgeError` when the folder cannot be deleted.
    public func purge(_ job: RecordingJob, in store: any JobStore, now: Date) async throws -> RecordingJob {
        guard job.state.isTerminal else { throw JobStoreError.notEnded(id: job.id, state: job.state) }
        try await deleteStoredFiles(job)
        if let folder = localFolder(of: job) {
            do {
                try FileManager.default.removeItem(atPath: folder)
            } catch CocoaError.fileNoSuchFile {
                // Already gone (purged before, or never written): nothing to delete.
            } catch {
                throw JobFilesPurgeError(jobID: job.id, folder: folder, reason: "\(error)")
            }
        }
        guard let purged = try await store.markFilesPurged(id: job.id, now: now) else { throw JobStoreError.notFound(id: job.id) }
        return purged
    }

    /// Whether a relative path stays inside the directory it is relative to: not absolute, and
    /// no `..` (or `.`, or empty) component.
    public static func isContained(relativePath path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { component in
            !component.isEmpty && component != "." && component != ".."
        }
    }
}

/// A job's local folder could not be deleted.
public struct JobFilesPurgeError: Error, CustomStringConvertible {
    public var jobID: String
    public var folder: String
    public var reason: String

    public var description: String { "the files of job \(jobID) in \(folder) could not be deleted: \(reason)" }
}
