import Foundation
import Media

/// The names of one recording's files in its output directory. A participant who reconnects
/// gets a new segment and so a new file: the Nth segment of `alice` is `alice.webm`, then
/// `alice-2.webm`, `alice-3.webm`… A name already taken — claimed earlier in this recording, on
/// disk, or being written under the writer's names `.NAME.opening` or `.NAME.partial` — is never given
/// again: the next free number is used instead (so a participant called `alice-2` and alice's
/// second segment cannot meet in one file).
public struct OutputFileNames: Sendable {
    /// The output directory; every name given is relative to it.
    public let directory: String
    private var claimed: Set<String> = []

    public init(directory: String) {
        self.directory = directory
    }

    /// Claims the file for segment `segment` (1 for the first) of `base` — a path relative to
    /// the directory without extension, as `FileNameTemplate.render` makes — and returns its
    /// relative path with the extension.
    public mutating func claim(base: String, fileExtension: String, segment: Int = 1) -> String {
        var number = max(segment, 1)
        while true {
            let candidate = (number == 1 ? base : "\(base)-\(number)") + "." + fileExtension
            if !claimed.contains(candidate) && !isOnDisk(candidate) {
                claimed.insert(candidate)
                return candidate
            }
            number += 1
        }
    }

    /// The absolute path of a relative name this type gave.
    public func path(of relativePath: String) -> String {
        (directory as NSString).appendingPathComponent(relativePath)
    }

    private func isOnDisk(_ relativePath: String) -> Bool {
        let path = path(of: relativePath)
        // lstat, not stat: a dangling symlink still occupies the name.
        var status = stat()
        return lstat(path, &status) == 0 || lstat(MediaFileWriter.temporaryPath(for: path), &status) == 0
            || lstat(MediaFileWriter.openingPath(for: path), &status) == 0
    }
}
