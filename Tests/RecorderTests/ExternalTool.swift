import Foundation

/// Runs a real command-line tool (python3's JSON checker, mount) to completion.
enum ExternalTool {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `executable` (found on PATH); standard output and error go to files, so a chatty
    /// tool cannot block on a full pipe. Returns the exit status and standard error.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, standardError: String) {
        let errorURL = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorURL) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: errorURL, encoding: .utf8))
    }

    /// Runs it and insists on exit status 0.
    static func check(_ executable: String, _ arguments: [String]) throws {
        let (status, standardError) = try run(executable, arguments)
        guard status == 0 else {
            throw Failure(description: "\(([executable] + arguments).joined(separator: " ")) exited \(status): \(standardError)")
        }
    }
}
