import Foundation

/// Runs a real command-line tool (ffmpeg and ffprobe, the judges of every file the writers make;
/// python3's JSON checker; mount) to completion. Shared by the Media and Recorder tests.
public enum ExternalTool {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Runs `executable` (found on PATH); standard output and error go to files, so a chatty
    /// tool cannot block on a full pipe. Returns the exit status and standard error.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, standardError: String) {
        let (status, _, standardError) = try capture(executable, arguments)
        return (status, standardError)
    }

    /// What ffmpeg says while decoding a file: nothing, for a healthy one. `-enc_time_base -1`
    /// keeps each frame at the file's own timestamp (see Tests/MediaTests/Probe.swift).
    public static func decodeErrors(_ path: String) throws -> String {
        try run("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-enc_time_base", "-1", "-f", "null", "-"]).standardError
    }

    /// Runs it and insists on exit status 0.
    public static func check(_ executable: String, _ arguments: [String]) throws {
        _ = try standardOutput(executable, arguments)
    }

    /// Runs it, insists on exit status 0, and returns what it printed.
    public static func standardOutput(_ executable: String, _ arguments: [String]) throws -> String {
        let (status, output, standardError) = try capture(executable, arguments)
        guard status == 0 else {
            throw Failure(description: "\(([executable] + arguments).joined(separator: " ")) exited \(status): \(standardError)")
        }
        return output
    }

    private static func capture(_ executable: String, _ arguments: [String]) throws
        -> (status: Int32, standardOutput: String, standardError: String) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
        let outputURL = scratch.appendingPathExtension("out"), errorURL = scratch.appendingPathExtension("err")
        for url in [outputURL, errorURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        defer { for url in [outputURL, errorURL] { try? FileManager.default.removeItem(at: url) } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: outputURL, encoding: .utf8),
                try String(contentsOf: errorURL, encoding: .utf8))
    }
}
