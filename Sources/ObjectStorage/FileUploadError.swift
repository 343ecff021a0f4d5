import NIOFileSystem

/// Why `FileUploader` could not put a file where it was asked to.
public enum FileUploadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The state to resume is another object's.
    case stateDoesNotMatch(stateBucket: String, stateKey: String, bucket: String, key: String)
    /// After the upload, the object's size (nil: there is no object) is not the file's.
    case verificationFailed(key: String, fileSize: Int64, objectSize: Int64?)
    case fileNotFound(FilePath)

    public var description: String {
        switch self {
        case let .stateDoesNotMatch(stateBucket, stateKey, bucket, key):
            "the upload state is for s3://\(stateBucket)/\(stateKey), not s3://\(bucket)/\(key)"
        case let .verificationFailed(key, fileSize, objectSize):
            "after uploading \(key), the object has \(objectSize.map { "\($0) bytes" } ?? "vanished") instead of \(fileSize) bytes"
        case let .fileNotFound(path):
            "no file at \(path)"
        }
    }
}
