import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One file from the API to disk, streamed: written to `NAME.partial`, continued from that
/// file's end with `Range: bytes=N-` when it is already there, and renamed when complete.
struct ResumableDownload {
    let api: RecordingsAPIClient
    let path: String
    let destination: URL
    var resume = true

    /// Downloads the file; returns its size.
    func run() async throws -> Int64 {
        let partial = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).partial")
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let have = resume ? ((try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? Int64) ?? 0) : 0
        let response = try await api.file(path, headers: have > 0 ? [("Range", "bytes=\(have)-")] : [])
        let append: Bool
        switch response.status.code {
        case 200: append = false
        case 206: append = true
        case 416 where have > 0 && Self.totalSize(response.headers.first(name: "Content-Range")) == have:
            // The partial file was already whole: only the rename was missing.
            try FileManager.default.move(partial, replacing: destination)
            return have
        default:
            let body = try await response.body.collect(upTo: 1024 * 1024)
            throw RecordingsAPIError(status: response.status, body: Data(body.readableBytesView), request: "GET \(path)")
        }
        if !append { _ = FileManager.default.createFile(atPath: partial.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: partial)
        var written: Int64 = append ? have : 0
        do {
            if append { try handle.seekToEnd() } else { try handle.truncate(atOffset: 0) }
            for try await chunk in response.body {
                try handle.write(contentsOf: chunk.readableBytesView)
                written += Int64(chunk.readableBytes)
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw RecordingsAPIError(message: "GET \(path): \(error); \(written) bytes are in \(partial.path), run again to resume")
        }
        try FileManager.default.move(partial, replacing: destination)
        return written
    }

    /// The size in `Content-Range: bytes */SIZE` (or `bytes A-B/SIZE`).
    static func totalSize(_ header: String?) -> Int64? {
        guard let header, let slash = header.lastIndex(of: "/") else { return nil }
        return Int64(header[header.index(after: slash)...])
    }
}

extension FileManager {
    /// Moves `source` to `destination`, replacing what is there.
    fileprivate func move(_ source: URL, replacing destination: URL) throws {
        if fileExists(atPath: destination.path) { try removeItem(at: destination) }
        try moveItem(at: source, to: destination)
    }
}
