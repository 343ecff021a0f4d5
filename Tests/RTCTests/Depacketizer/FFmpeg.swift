import Foundation

/// ffmpeg as the decoder of record: `ffmpeg -v error -i FILE -f null -` prints nothing for a clean
/// file, and a line per decode error otherwise. The tests use the `framemd5` output instead of
/// `null`: it decodes the same way and also lists each decoded frame, so the count can be checked.
/// ffmpeg is a test dependency: a missing binary fails the test rather than skipping it.
enum FFmpeg {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "ffmpeg not found at /usr/bin/ffmpeg or /usr/local/bin/ffmpeg (apt-get install ffmpeg)" }
    }

    static func executable() throws -> URL {
        for path in ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"] where FileManager.default.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        throw Missing()
    }

    /// Everything ffmpeg printed while decoding `file` (empty when it decoded cleanly), and how many
    /// frames `-f framemd5` counted.
    static func decode(_ file: URL, format: String? = nil) throws -> (errors: String, frames: Int) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["-nostdin", "-v", "error"] + (format.map { ["-f", $0] } ?? []) + ["-i", file.path, "-f", "framemd5", "-"]
        // stderr goes to a file so a long error report cannot fill a pipe while stdout is drained.
        let log = file.appendingPathExtension("log")
        try Data().write(to: log)
        let errors = try FileHandle(forWritingTo: log)
        defer { try? errors.close() }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let complaints = try Data(contentsOf: log)
        let frames = String(decoding: printed, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }.count
        let message = String(decoding: complaints, as: UTF8.self)
        return (process.terminationStatus == 0 ? message : "exit \(process.terminationStatus): \(message)", frames)
    }

    /// A fresh temporary directory for files handed to ffmpeg.
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depacketizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
