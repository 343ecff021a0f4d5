import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFileSystem
import NIOHTTP1

extension S3Client {
    /// Uploads a whole file in one request (S3 takes up to 5 GiB so; `FileUploader` goes
    /// multipart above its part size). Returns the object's ETag.
    @discardableResult
    public func putObject(
        bucket: String, key: String, file: FilePath, contentType: String? = nil
    ) async throws -> String? {
        // Opening it is what reports a missing or unreadable file, as a FileSystemError.
        let size = try await FileSystem.shared.withFileHandle(forReadingAt: file) { try await $0.info().size }
        return try await send(
            "PutObject", method: .PUT, bucket: bucket, key: key, headers: Self.contentTypeHeaders(contentType),
            body: .file(path: file, range: 0..<size)
        ) { response in
            response.headers.first(name: "etag")
        }
    }

    /// Uploads bytes held in memory (a manifest, say).
    @discardableResult
    public func putObject(
        bucket: String, key: String, bytes: ByteBuffer, contentType: String? = nil
    ) async throws -> String? {
        try await send(
            "PutObject", method: .PUT, bucket: bucket, key: key, headers: Self.contentTypeHeaders(contentType),
            body: .bytes(bytes)
        ) { response in
            response.headers.first(name: "etag")
        }
    }

    /// The object's size and ETag, or nil when there is no such object.
    public func headObject(bucket: String, key: String) async throws -> ObjectMetadata? {
        do {
            return try await send("HeadObject", method: .HEAD, bucket: bucket, key: key) { response in
                guard let length = response.headers.first(name: "content-length").flatMap({ Int64($0) }) else {
                    throw S3ProtocolError.malformedResponse("HeadObject without Content-Length")
                }
                return ObjectMetadata(
                    size: length, etag: response.headers.first(name: "etag"),
                    contentType: response.headers.first(name: "content-type"))
            }
        } catch let error as S3Error where error.isNotFound {
            return nil
        }
    }

    /// Downloads the object into `file` (replaced), streaming; returns the bytes written.
    @discardableResult
    public func getObject(bucket: String, key: String, to file: FilePath) async throws -> Int64 {
        try await send("GetObject", method: .GET, bucket: bucket, key: key) { response in
            try await FileSystem.shared.withFileHandle(
                forWritingAt: file, options: .newFile(replaceExisting: true)
            ) { handle in
                var offset: Int64 = 0
                for try await chunk in response.body {
                    offset += try await handle.write(contentsOf: chunk, toAbsoluteOffset: offset)
                }
                return offset
            }
        }
    }

    /// Deletes the object; deleting one that is not there succeeds too (S3's own rule).
    public func deleteObject(bucket: String, key: String) async throws {
        try await send("DeleteObject", method: .DELETE, bucket: bucket, key: key) { _ in }
    }

    static func contentTypeHeaders(_ contentType: String?) -> HTTPHeaders {
        contentType.map { HTTPHeaders([("content-type", $0)]) } ?? [:]
    }
}
