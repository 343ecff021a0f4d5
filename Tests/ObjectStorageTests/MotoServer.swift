import Foundation
import ObjectStorage

/// The S3-compatible server the storage tests run against: moto (`moto_server.py`), on
/// 127.0.0.1 at a free port, enforcing SigV4 with an IAM user's key, one per test process, and
/// gone when the process exits (it stops when its standard input closes). Never skipped: if it
/// cannot start, every test that needs it fails and says why.
struct MotoServer: Sendable, Decodable {
    let endpoint: String
    let bucket: String
    let region: String
    let accessKeyID: String
    let secretAccessKey: String

    enum CodingKeys: String, CodingKey {
        case endpoint, bucket, region
        case accessKeyID = "access_key_id"
        case secretAccessKey = "secret_access_key"
    }

    static func shared() async throws -> MotoServer { try await server.value }

    /// Another moto that checks no signature: moto cannot serve presigned URLs while it checks
    /// them (it looks for an Authorization header and answers 500).
    static func withoutSignatureChecks() async throws -> MotoServer { try await uncheckedServer.value }

    func configuration(secretAccessKey: String? = nil) -> S3Configuration {
        S3Configuration(
            region: region,
            credentials: SigV4Credentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey ?? self.secretAccessKey),
            endpoint: URL(string: endpoint)!)
    }

    private static let server = Task<MotoServer, any Error> { try await start(checkingSignatures: true) }
    private static let uncheckedServer = Task<MotoServer, any Error> { try await start(checkingSignatures: false) }
    /// Their write ends stay open for as long as this process runs; moto stops when its closes.
    private static let lifeline = Pipe()
    private static let uncheckedLifeline = Pipe()

    /// The root of the repository, whose .venv (scripts/bootstrap) has moto and boto3.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let python = root.appendingPathComponent(".venv/bin/python")

    private static func start(checkingSignatures: Bool) async throws -> MotoServer {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("moto_server.py")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw MotoUnavailable("\(python.path) is missing: run scripts/bootstrap, which installs moto into .venv")
        }
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-test-moto-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, "tapedeck-test"] + (checkingSignatures ? [] : ["--no-auth"])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = checkingSignatures ? lifeline : uncheckedLifeline
        do {
            try process.run()
        } catch {
            throw MotoUnavailable("cannot run \(python.path) \(script.path): \(error)")
        }
        // One JSON line once the server is set up, or end of output if it failed; reading
        // blocks, so it happens off the cooperative pool.
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            DispatchQueue.global().async {
                var text = ""
                while !text.contains("\n") {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    text += String(decoding: chunk, as: UTF8.self)
                }
                continuation.resume(returning: text)
            }
        }
        guard let server = try? JSONDecoder().decode(MotoServer.self, from: Data(line.utf8)) else {
            process.terminate()
            process.waitUntilExit()
            let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw MotoUnavailable("moto_server.py did not start moto (exit status \(process.terminationStatus)): "
                + said.suffix(2000).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        // Its request log is only read when it fails to start; moto keeps writing to the unlinked file.
        try? FileManager.default.removeItem(at: errors)
        return server
    }
}

/// Why the tests that need an S3-compatible server have none.
struct MotoUnavailable: Error, CustomStringConvertible {
    var description: String
    init(_ reason: String) {
        description = "The ObjectStorage tests need moto, an S3-compatible server: \(reason)"
    }
}
