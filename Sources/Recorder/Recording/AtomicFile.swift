import Foundation

/// Replaces a file's contents all at once: written beside it under a temporary name, flushed
/// to disk, then renamed over it. A reader (or a crash) sees the old contents or the new,
/// never half of either.
enum AtomicFile {
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    static func write(_ data: Data, to path: String) throws(WriteError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw WriteError(description: "cannot create \(temporary): \(errorText())") }
        var written = 0
        let result: Int32 = data.withUnsafeBytes { bytes in
            while written < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return fsync(descriptor) == 0 ? 0 : errno
        }
        close(descriptor)
        guard result == 0 else {
            unlink(temporary)
            throw WriteError(description: "cannot write \(temporary): \(String(cString: strerror(result)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = errorText()
            unlink(temporary)
            throw WriteError(description: "cannot rename \(temporary) to \(path): \(reason)")
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
