import Foundation

/// Runs one of this directory's Python scripts with the repository's .venv, `input` on its
/// standard input; returns its standard output, or throws with its standard error.
enum PythonScript {
    static func run(_ name: String, input: Data) throws -> String {
        let process = Process()
        process.executableURL = MotoServer.python
        process.arguments = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name).path]
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ScriptFailed(description: "\(name) exited with \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct ScriptFailed: Error, CustomStringConvertible { var description: String }
}
