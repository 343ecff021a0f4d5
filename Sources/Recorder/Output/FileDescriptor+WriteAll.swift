#if canImport(Glibc)
import Glibc
#endif

/// Writes all of `bytes` to `descriptor`, through short writes and interruptions; returns the
/// `errno` of a write that failed (a full disk), or nil.
func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += written
    }
    return nil
}
