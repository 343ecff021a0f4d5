#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file system side of "write under a temporary name, rename when done". A file still under
/// its temporary name was never finished — its writer was killed, or stopped on a write error —
/// and plays up to its last flushed cluster (WebM), fragment (MP4) or page (Ogg).
enum PartialFile {
    /// `.NAME.partial` beside `path`: hidden, in the same directory (so the rename is atomic on
    /// one file system), and telling by its name what it is.
    static func temporaryPath(for path: String) -> String {
        hiddenSibling(of: path, suffix: ".partial")
    }

    /// `.NAME.opening` beside `path`: where the file is made, until it holds media beyond its
    /// header (see `MediaFileWriter`).
    static func openingPath(for path: String) -> String {
        hiddenSibling(of: path, suffix: openingSuffix)
    }

    static let openingSuffix = ".opening"

    private static func hiddenSibling(of path: String, suffix: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(name)\(suffix)"
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func size(_ path: String) -> Int64? {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : nil
    }

    /// Cuts a failed file back to a unit boundary, so a half-written cluster or fragment left by
    /// a short write (a nearly full disk) does not end the file with garbage.
    static func cut(_ path: String, to length: Int64) {
        _ = truncate(path, off_t(length))
    }

    /// Makes the finished bytes durable before the name says "finished", then renames. Returns 0
    /// or the errno of the step that failed.
    static func commit(_ temporaryPath: String, as path: String) -> Int32 {
        let descriptor = open(temporaryPath, O_RDONLY)
        guard descriptor >= 0 else { return errno }
        let synced = fsync(descriptor)
        let syncError = errno
        close(descriptor)
        guard synced == 0 else { return syncError }
        return move(temporaryPath, to: path)
    }

    /// Renames within the directory; returns 0 or the errno.
    static func move(_ path: String, to newPath: String) -> Int32 {
        rename(path, newPath) == 0 ? 0 : errno
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    /// Removes the `.opening` files in `directory` and the folders below it (a file name
    /// template can put files in subfolders): each was left by a writer killed before its file
    /// held media. Returns their paths relative to `directory`. Symbolic links are not followed.
    static func removeAbandonedOpenings(in directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var removed: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            if isDirectory(entry, name, in: stream) {
                removed += removeAbandonedOpenings(in: directory + "/" + name).map { name + "/" + $0 }
            } else if name.hasPrefix("."), name.hasSuffix(openingSuffix), name.count > 1 + openingSuffix.count,
                      unlinkat(dirfd(stream), name, 0) == 0 {
                removed.append(name)
            }
        }
        return removed.sorted()
    }

    /// From the directory entry's type, or (on file systems that do not give it) from `fstatat`.
    private static func isDirectory(_ entry: UnsafeMutablePointer<dirent>, _ name: String,
                                    in stream: OpaquePointer) -> Bool {
        let type = Int(entry.pointee.d_type)
        guard type == Int(DT_UNKNOWN) else { return type == Int(DT_DIR) }
        var status = stat()
        return fstatat(dirfd(stream), name, &status, AT_SYMLINK_NOFOLLOW) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}
