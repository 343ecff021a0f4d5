import AsyncHTTPClient
import Crypto
import NIOCore
import NIOFileSystem

/// What an S3 request sends. A file range is read from disk as it is sent — twice in all, once to
/// hash it for the signature and once to send it — and never held in memory whole.
enum S3RequestBody: Sendable {
    case empty
    case bytes(ByteBuffer)
    case file(path: FilePath, range: Range<Int64>)

    /// Chunk size for reading files: large enough to keep syscalls few, small enough to stay
    /// out of the way of parallel parts.
    private static let chunkLength = ByteCount.kibibytes(512)

    /// The hex SHA-256 the signature covers: the server recomputes it, so a body damaged on the
    /// way is refused (`XAmzContentSHA256Mismatch`) instead of stored.
    func sha256() async throws -> String {
        switch self {
        case .empty:
            return SigV4Signer.emptyPayloadHash
        case .bytes(let buffer):
            return SHA256.hash(data: buffer.readableBytesView).hexString
        case .file(let path, let range):
            return try await FileSystem.shared.withFileHandle(forReadingAt: path) { handle in
                var hash = SHA256()
                for try await chunk in handle.readChunks(in: range, chunkLength: Self.chunkLength) {
                    hash.update(data: chunk.readableBytesView)
                }
                return hash.finalize().hexString
            }
        }
    }

    /// Hands `send` a fresh body (each retry needs one); a file stays open while it runs.
    func withHTTPBody<Result>(_ send: (HTTPClientRequest.Body?) async throws -> Result) async throws -> Result {
        switch self {
        case .empty:
            return try await send(nil)
        case .bytes(let buffer):
            return try await send(.bytes(buffer))
        case .file(let path, let range):
            return try await FileSystem.shared.withFileHandle(forReadingAt: path) { handle in
                try await send(.stream(
                    handle.readChunks(in: range, chunkLength: Self.chunkLength), length: .known(range.upperBound - range.lowerBound)))
            }
        }
    }
}
