import Foundation
import Media
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a recording's `manifest.json` atomically: the JSON goes to `.manifest.json.partial`
/// in the same directory, is fsynced, and is renamed over the manifest, then the directory is
/// fsynced so the rename itself survives a crash. A reader — or the next process after a kill
/// or a power cut — finds the previous manifest or the new one, never half of one; a failure
/// (a full disk) leaves the previous one in place.
///
/// The recording's other small room-wide file, `speakers.vtt`, is replaced the same way.
///
/// One writer per directory at a time: the temporary name is fixed, so a writer killed
/// mid-write leaves no litter beyond the next write, and two writing at once would share it.
public struct ManifestWriter: Sendable {
    public static let fileName = "manifest.json"

    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var path: String { (directory as NSString).appendingPathComponent(Self.fileName) }

    /// The JSON form: camelCase keys, sorted so that successive manifests diff cleanly, and
    /// non-finite numbers (a statistic that divided by zero) as strings rather than a failed write.
    public static func encode(_ manifest: RecordingManifest) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        var data = try encoder.encode(manifest)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    public static func decode(_ data: Data) throws -> RecordingManifest {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try decoder.decode(RecordingManifest.self, from: data)
    }

    public func read() throws -> RecordingManifest {
        try Self.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Replaces `speakers.vtt` with who spoke when (speech under way is cut at `end`); what the
    /// manifest says of it, its error included.
    func writeSpeakerTimeline(_ speakers: SpeakerTimeline.Snapshot, recordingStart: Double, end: Double,
                              finished: Bool) -> RecordingManifest.SpeakerTimelineFile {
        let data = Data(SpeakerTimelineVTT.render(speakers.intervals, recordingStart: recordingStart, end: end).utf8)
        do {
            try write(data, toFileNamed: RecordingManifest.SpeakerTimelineFile.fileName)
            return RecordingManifest.SpeakerTimelineFile(finished: finished, bytes: data.count)
        } catch {
            return RecordingManifest.SpeakerTimelineFile(finished: false, bytes: 0, error: "\(error)")
        }
    }

    public func write(_ manifest: RecordingManifest) throws(ManifestWriterError) {
        let data: Data
        do {
            data = try Self.encode(manifest)
        } catch {
            throw ManifestWriterError(operation: "encode", path: path, reason: .encoding("\(error)"))
        }
        try replace(path: path, with: data)
    }

    /// Replaces the file `fileName` in the directory with `data`, as atomically and durably as
    /// the manifest.
    public func write(_ data: Data, toFileNamed fileName: String) throws(ManifestWriterError) {
        try replace(path: (directory as NSString).appendingPathComponent(fileName), with: data)
    }

    private func replace(path: String, with data: Data) throws(ManifestWriterError) {
        let temporaryPath = MediaFileWriter.temporaryPath(for: path)
        do throws(ManifestWriterError) {
            try writeDurably(data, to: temporaryPath, replacing: path)
            guard rename(temporaryPath, path) == 0 else { throw failure("rename", path: path) }
        } catch {
            unlink(temporaryPath)
            throw error
        }
        syncDirectory()
    }

    private func writeDurably(_ data: Data, to temporaryPath: String, replacing path: String) throws(ManifestWriterError) {
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("open", path: path) }
        var closed = false
        defer { if !closed { close(descriptor) } }
        let writeError = data.withUnsafeBytes { writeAll($0, to: descriptor) }
        if let writeError { throw ManifestWriterError(operation: "write", path: path, reason: .system(errno: writeError)) }
        guard fsync(descriptor) == 0 else { throw failure("fsync", path: path) }
        closed = true
        // close can report a deferred write error (NFS, some FUSE file systems).
        guard close(descriptor) == 0 else { throw failure("close", path: path) }
    }

    /// Makes the rename durable. Best effort: the manifest is already whole either way, and a
    /// directory that cannot be opened or synced (some file systems) is no reason to fail.
    private func syncDirectory() {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private func failure(_ operation: String, path: String) -> ManifestWriterError {
        ManifestWriterError(operation: operation, path: path, reason: .system(errno: errno))
    }
}

