import Foundation
import Jobs
import Logging
import NIOFileSystem
import ObjectStorage

/// Puts the files of one job into its bucket, one call per file: retried while the service is
/// unreachable or failing (up to `giveUpAfter`), resumable across workers by keeping each
/// multipart upload's state in the job store, and never leaving a given-up upload's parts behind.
struct FileDelivery: Sendable {
    let client: S3Client
    let destination: S3StorageURL
    let partSize: Int64
    let maxConcurrentParts: Int
    let giveUpAfter: Duration
    let store: any JobStore
    let jobID: String
    let worker: String
    /// The job's folder: file names are relative to it.
    let folder: String
    let logger: Logger

    /// `s3://bucket/key` of the job's file `name`: `PREFIX/<job id>/<name>`.
    func location(of name: String) -> String { S3ObjectURL(bucket: destination.bucket, key: key(of: name)).description }

    private func key(of name: String) -> String { destination.key(for: "\(jobID)/\(name)") }

    /// Uploads the job's file `name` and returns where it now is. A file already gone from the
    /// folder counts as delivered when the bucket holds an object of `expectedBytes` under its
    /// key: an earlier attempt uploaded it and removed the local copy, but died before saying so.
    func deliver(_ name: String, contentType: String, expectedBytes: Int? = nil) async throws -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            let held = try await retryingWhileTransient(name) { try await client.headObject(bucket: destination.bucket, key: key(of: name)) }
            if let expectedBytes, held?.size == Int64(expectedBytes) { return location(of: name) }
            throw OutputDeliveryError(file: name, destination: location(of: name),
                                      reason: "the file is no longer in \(folder), and the bucket does not hold it")
        }
        let result = try await retryingWhileTransient(name) {
            try await upload(name: name, path: path, contentType: contentType)
        }
        logger.info("uploaded", metadata: [
            "file": "\(name)", "location": "\(location(of: name))", "bytes": "\(result.size)",
            "upload_id": "\(result.uploadID ?? "-")", "parts_reused": "\(result.partsReused)",
        ])
        return location(of: name)
    }

    /// One try: resumes the upload an earlier try (or worker) left, keeps its state while parts
    /// go up, and forgets it once the object is checked.
    private func upload(name: String, path: String, contentType: String) async throws -> FileUploadResult {
        let uploader = FileUploader(client: client, partSize: partSize, maxConcurrentParts: maxConcurrentParts)
        let previous = try await savedState(of: name)
        let (store, jobID, worker) = (store, jobID, worker)
        let result = try await uploader.upload(
            file: FilePath(path), bucket: destination.bucket, key: key(of: name), contentType: contentType,
            resuming: previous, onFailure: .keepForResume
        ) { state in
            try await store.saveUploadState(id: jobID, worker: worker, name: name, state: try JSONEncoder().encode(state), now: Date())
        }
        if result.uploadID != nil || previous != nil {
            try await store.removeUploadState(id: jobID, worker: worker, name: name)
        }
        return result
    }

    private func savedState(of name: String) async throws -> UploadState? {
        guard let data = try await store.uploadStates(id: jobID)[name] else { return nil }
        do {
            return try JSONDecoder().decode(UploadState.self, from: data)
        } catch {
            logger.warning("the saved state of an upload cannot be read; starting it over",
                           metadata: ["file": "\(name)", "error": "\(error)"])
            return nil
        }
    }

    /// Runs `attempt` again while it fails in a way that may pass (the service unreachable or
    /// failing, the job store busy), waiting longer each time, until `giveUpAfter`. Then, or on
    /// a failure that will not pass, the upload under way is aborted and an
    /// `OutputDeliveryError` names the file and the reason. Cancellation (shutdown) and a lost
    /// lease end it at once and leave the upload for the job's next worker.
    private func retryingWhileTransient<Result>(_ name: String, _ attempt: () async throws -> Result) async throws -> Result {
        let deadline = ContinuousClock.now + giveUpAfter
        var wait = Duration.seconds(1)
        while true {
            do {
                return try await attempt()
            } catch {
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                if case JobStoreError.leaseLost = error { throw error }
                if isTransient(error), ContinuousClock.now + wait < deadline {
                    logger.warning("upload failed; trying again", metadata: [
                        "file": "\(name)", "error": "\(error)", "retry_in": "\(wait)",
                    ])
                    try await Task.sleep(for: wait)
                    wait = min(wait * 2, .seconds(30))
                    continue
                }
                await abandonUpload(of: name)
                let reason = isTransient(error) ? "\(error) (still failing after \(giveUpAfter))" : "\(error)"
                throw OutputDeliveryError(file: name, destination: location(of: name), reason: reason)
            }
        }
    }

    private func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as JobStoreError:
            if case .database = error { true } else { false }
        case is FileUploadError, is OutputDeliveryError: false
        default: client.retryPolicy.isRetryable(error)
        }
    }

    /// Aborts every multipart upload of the job left in the bucket.
    func abandonAllUploads() async {
        let names = (try? await store.uploadStates(id: jobID).keys.sorted()) ?? []
        for name in names { await abandonUpload(of: name) }
    }

    /// Aborts the multipart upload of `name` left in the bucket, if any: its parts would be
    /// billed and unseen. Best effort; the error that led here is the one reported.
    private func abandonUpload(of name: String) async {
        guard let state = try? await savedState(of: name) else { return }
        do {
            try await client.abortMultipartUpload(bucket: state.bucket, key: state.key, uploadID: state.uploadID)
            try await store.removeUploadState(id: jobID, worker: worker, name: name)
            logger.info("multipart upload aborted", metadata: ["file": "\(name)", "upload_id": "\(state.uploadID)"])
        } catch {
            logger.error("cannot abort a multipart upload given up; it stays in the bucket until a lifecycle rule expires it",
                         metadata: ["file": "\(name)", "upload_id": "\(state.uploadID)", "error": "\(error)"])
        }
    }
}
