import Foundation
import NIOFileSystem

/// A directory of its own for one test, removed afterwards.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-storage-test-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> FilePath { FilePath(url.appendingPathComponent(name).path) }

    /// A file of `size` random bytes (random, so that a misplaced part cannot go unnoticed).
    func randomFile(_ name: String, size: Int) throws -> (path: FilePath, bytes: Data) {
        let bytes = FileHandle(forReadingAtPath: "/dev/urandom")!.readData(ofLength: size)
        let url = url.appendingPathComponent(name)
        try bytes.write(to: url)
        return (FilePath(url.path), bytes)
    }

    func contents(_ path: FilePath) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path.string))
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
