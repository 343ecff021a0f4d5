import Logging
import NIOFileSystem

/// Puts a file into a bucket: one PutObject below the part size, a multipart upload above it
/// with a bounded number of parts in flight, resumable from its `UploadState`, and checked
/// afterwards (the object's size must be the file's).
public struct FileUploader: Sendable {
    /// S3's floor for every part but the last.
    public static let minimumPartSize: Int64 = 5 * 1024 * 1024
    /// S3's ceiling on parts per upload.
    public static let maximumPartCount: Int64 = 10_000

    public var client: S3Client
    public var partSize: Int64
    public var maxConcurrentParts: Int

    public init(client: S3Client, partSize: Int64 = 8 * 1024 * 1024, maxConcurrentParts: Int = 4) {
        precondition(partSize >= Self.minimumPartSize, "S3 refuses parts under 5 MiB (but the last)")
        precondition(maxConcurrentParts >= 1)
        self.client = client
        self.partSize = partSize
        self.maxConcurrentParts = maxConcurrentParts
    }

    /// What to do with a multipart upload that failed after its retries.
    public enum OnFailure: Sendable {
        /// Abort it, so that no parts are left in the bucket (where they are billed, unseen).
        case abort
        /// Keep it for a later `upload(…, resuming:)`; whoever chooses this must resume or abort it.
        case keepForResume
    }

    /// Uploads `file` to `bucket`/`key`. `saveState` is called once the multipart upload exists
    /// and after each part, in order, never concurrently: persisting what it is given lets
    /// `resuming` finish the same upload after a crash. A cancelled upload is always kept, since
    /// cancellation means shutdown, not failure.
    @discardableResult
    public func upload(
        file: FilePath, bucket: String, key: String, contentType: String? = nil, resuming previous: UploadState? = nil,
        onFailure: OnFailure = .abort, saveState: @Sendable (UploadState) async throws -> Void = { _ in }
    ) async throws -> FileUploadResult {
        guard let fileSize = try await FileSystem.shared.info(forFileAt: file)?.size else {
            throw FileUploadError.fileNotFound(file)
        }
        if let previous, previous.bucket != bucket || previous.key != key {
            throw FileUploadError.stateDoesNotMatch(stateBucket: previous.bucket, stateKey: previous.key, bucket: bucket, key: key)
        }
        if previous == nil && fileSize < partSize {
            let etag = try await client.putObject(bucket: bucket, key: key, file: file, contentType: contentType)
            try await verify(bucket: bucket, key: key, fileSize: fileSize)
            return FileUploadResult(
                bucket: bucket, key: key, size: fileSize, etag: etag, uploadID: nil, partsUploaded: 1, partsReused: 0)
        }

        var state: UploadState
        if let resumable = try await resumableState(previous, fileSize: fileSize) {
            state = resumable
        } else {
            let uploadID = try await client.createMultipartUpload(bucket: bucket, key: key, contentType: contentType)
            state = UploadState(
                bucket: bucket, key: key, uploadID: uploadID, partSize: partSize(forFileSize: fileSize), fileSize: fileSize)
        }
        let partsReused = state.parts.count
        do {
            try await saveState(state)
            try await uploadMissingParts(of: file, state: &state, saveState: saveState)
            let etag = try await complete(state)
            try await verify(bucket: bucket, key: key, fileSize: fileSize)
            return FileUploadResult(
                bucket: bucket, key: key, size: fileSize, etag: etag, uploadID: state.uploadID,
                partsUploaded: state.partCount - partsReused, partsReused: partsReused)
        } catch {
            if onFailure == .abort && !Task.isCancelled {
                await abort(state, after: error)
            }
            throw error
        }
    }

    /// `previous` with the parts the server actually holds, or nil when it cannot be resumed:
    /// the upload is gone (completed, aborted, expired) or the file has changed since.
    private func resumableState(_ previous: UploadState?, fileSize: Int64) async throws -> UploadState? {
        guard var state = previous else { return nil }
        guard state.fileSize == fileSize else {
            client.logger.warning(
                "file changed size since its upload started; starting over",
                metadata: ["key": "\(state.key)", "upload_id": "\(state.uploadID)"])
            await abort(state, after: nil)
            return nil
        }
        let held: [UploadedPart]
        do {
            held = try await client.listParts(bucket: state.bucket, key: state.key, uploadID: state.uploadID)
        } catch let error as S3Error where error.isNotFound {
            client.logger.warning(
                "the upload to resume no longer exists; starting over",
                metadata: ["key": "\(state.key)", "upload_id": "\(state.uploadID)", "error": "\(error)"])
            return nil
        }
        // A part whose size is not what this file's part would be is not one of ours: sent again.
        state.parts = held.filter {
            (1...state.partCount).contains($0.partNumber) && $0.size == Int64(state.byteRange(ofPart: $0.partNumber).count)
        }
        return state
    }

    private func uploadMissingParts(
        of file: FilePath, state: inout UploadState, saveState: @Sendable (UploadState) async throws -> Void
    ) async throws {
        let client = client
        let fixed = state
        var missing = state.missingPartNumbers.makeIterator()
        try await withThrowingTaskGroup(of: UploadedPart.self) { group in
            func startNext() {
                guard let partNumber = missing.next() else { return }
                group.addTask {
                    try await client.uploadPart(
                        bucket: fixed.bucket, key: fixed.key, uploadID: fixed.uploadID, partNumber: partNumber,
                        file: file, range: fixed.byteRange(ofPart: partNumber))
                }
            }
            for _ in 0..<maxConcurrentParts { startNext() }
            // The first part to fail ends the group, which cancels the parts still in flight.
            while let part = try await group.next() {
                state.record(part)
                try await saveState(state)
                startNext()
            }
        }
    }

    private func complete(_ state: UploadState) async throws -> String? {
        do {
            return try await client.completeMultipartUpload(
                bucket: state.bucket, key: state.key, uploadID: state.uploadID, parts: state.parts)
        } catch let error as S3Error where error.code == "NoSuchUpload" {
            // A retry after a completion whose answer was lost finds the upload gone: the
            // verification that follows tells success from loss.
            client.logger.info("upload already completed", metadata: ["key": "\(state.key)", "error": "\(error)"])
            return nil
        }
    }

    private func verify(bucket: String, key: String, fileSize: Int64) async throws {
        let size = try await client.headObject(bucket: bucket, key: key)?.size
        guard size == fileSize else {
            throw FileUploadError.verificationFailed(key: key, fileSize: fileSize, objectSize: size)
        }
    }

    /// Best effort: the error that led here is the one to report, not the abort's.
    private func abort(_ state: UploadState, after error: (any Error)?) async {
        do {
            try await client.abortMultipartUpload(bucket: state.bucket, key: state.key, uploadID: state.uploadID)
            client.logger.info(
                "multipart upload aborted",
                metadata: ["key": "\(state.key)", "upload_id": "\(state.uploadID)", "reason": "\(error.map { "\($0)" } ?? "stale")"])
        } catch {
            client.logger.error(
                "could not abort multipart upload; it stays in the bucket until aborted or expired by a lifecycle rule",
                metadata: ["key": "\(state.key)", "upload_id": "\(state.uploadID)", "error": "\(error)"])
        }
    }

    /// The configured size, or larger for a file that would otherwise need over 10,000 parts.
    private func partSize(forFileSize fileSize: Int64) -> Int64 {
        let mebibyte: Int64 = 1024 * 1024
        let smallestAllowed = (fileSize + Self.maximumPartCount - 1) / Self.maximumPartCount
        return max(partSize, (smallestAllowed + mebibyte - 1) / mebibyte * mebibyte)
    }
}
