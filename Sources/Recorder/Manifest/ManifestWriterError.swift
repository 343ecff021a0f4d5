import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why `manifest.json` could not be written. The previous manifest, if any, is still whole.
public struct ManifestWriterError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// A system call failed with this errno.
        case system(errno: Int32)
        /// The manifest could not be encoded as JSON; the encoder's message.
        case encoding(String)
    }

    /// What was being done: "open", "write", "fsync", "rename", "encode"…
    public var operation: String
    /// The file being written or replaced.
    public var path: String
    public var reason: Reason

    public init(operation: String, path: String, reason: Reason) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    /// The disk (or quota) is full.
    public var isNoSpace: Bool {
        if case .system(let code) = reason { return code == ENOSPC || code == EDQUOT }
        return false
    }

    public var description: String {
        let cause = switch reason {
        case .system(let code): "\(String(cString: strerror(code))) (errno \(code))"
        case .encoding(let message): message
        }
        let file = (path as NSString).lastPathComponent
        let previous = file == ManifestWriter.fileName ? "manifest" : file
        return "writing \(path) failed at \(operation): \(cause); the previous \(previous) is left as it was"
    }
}
