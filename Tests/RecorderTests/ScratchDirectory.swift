import Foundation

/// A directory of its own under the system's temporary directory, removed when dropped.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("recorder-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit {
        _ = chmod(path, 0o755)
        try? FileManager.default.removeItem(atPath: path)
    }
}
