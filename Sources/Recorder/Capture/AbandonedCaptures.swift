import Foundation
import Media

/// Captures an earlier run left under their temporary names (a worker killed, or cut off from
/// its store), made whole for the run that takes the job over: each is cut back to its last
/// whole block and given its final name, so the folder's captures are all renderable and the
/// new run's take the next free names.
public enum AbandonedCaptures {
    /// Recovers every `.NAME.pcapng.partial` in `folder`; returns the final names given.
    @discardableResult
    public static func recover(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var recovered: [String] = []
        for name in names.sorted() where name.hasPrefix(".") && name.hasSuffix(".pcapng.partial") {
            let final = String(name.dropFirst().dropLast(".partial".count))
            let temporary = (folder as NSString).appendingPathComponent(name)
            let path = (folder as NSString).appendingPathComponent(final)
            guard !FileManager.default.fileExists(atPath: path) else { continue }
            cutToWholeBlocks(temporary)
            if (try? FileManager.default.moveItem(atPath: temporary, toPath: path)) != nil { recovered.append(final) }
        }
        return recovered
    }

    /// Truncates a capture after its last whole block, by the blocks' lengths (each block says
    /// its own at bytes 4–7; Tapedeck's are little-endian).
    static func cutToWholeBlocks(_ path: String) {
        guard let handle = FileHandle(forUpdatingAtPath: path) else { return }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        var offset: UInt64 = 0
        while offset + 12 <= size {
            try? handle.seek(toOffset: offset)
            guard let header = try? handle.read(upToCount: 8), header.count == 8 else { break }
            let length = UInt64(header[4]) | UInt64(header[5]) << 8 | UInt64(header[6]) << 16 | UInt64(header[7]) << 24
            guard length >= 12, length % 4 == 0, offset + length <= size else { break }
            offset += length
        }
        if offset < size { try? handle.truncate(atOffset: offset) }
    }
}
