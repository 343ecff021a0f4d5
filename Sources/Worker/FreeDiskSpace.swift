import Foundation

/// The free space of the file system a directory is on, for unprivileged writers (`f_bavail`).
enum FreeDiskSpace {
    /// Bytes; a directory not made yet is judged by the nearest one above it that exists. Nil
    /// when nothing on the path can be examined.
    static func bytes(at path: String) -> Int64? {
        var directory = (path as NSString).standardizingPath
        while true {
            var stats = statvfs()
            if statvfs(directory, &stats) == 0 { return Int64(stats.f_bavail) * Int64(stats.f_frsize) }
            let parent = (directory as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != directory else { return nil }
            directory = parent
        }
    }
}
