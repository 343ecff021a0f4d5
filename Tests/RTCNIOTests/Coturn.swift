import Foundation
import NIOCore
import NIOPosix

/// A real coturn `turnserver` on loopback for the duration of a test.
final class Coturn {
    let port: Int
    let username = "test"
    let password = "test"
    let realm = "test.local"
    static let relayPorts = 49_160...49_400
    private let process: Process
    private let logFile: URL

    init() throws {
        // The listening port must lie outside the relay range, or coturn cannot allocate.
        var port = try Coturn.freeUDPPort()
        while Coturn.relayPorts.contains(port) { port = try Coturn.freeUDPPort() }
        self.port = port
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("coturn-\(port).log")
        process = Process()
        process.executableURL = try Coturn.executable()
        process.arguments = [
            "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=\(port)",
            "--min-port=\(Coturn.relayPorts.lowerBound)", "--max-port=\(Coturn.relayPorts.upperBound)", "--lt-cred-mech", "--user=\(username):\(password)",
            "--realm=\(realm)", "--fingerprint", "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers",
            "--no-tcp-relay", "--log-file=\(logFile.path)", "--simple-log", "--pidfile=",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // coturn answers within a few hundred milliseconds; give it a moment to bind.
        Thread.sleep(forTimeInterval: 0.7)
        guard process.isRunning else { throw CoturnError("turnserver exited at start: \(log)") }
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning {
            // coturn 4.6 keeps running after SIGTERM while it has allocations; a test server
            // holds nothing worth a graceful exit.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logFile)
    }

    private static func executable() throws -> URL {
        for path in ["/usr/bin/turnserver", "/usr/local/bin/turnserver"] where FileManager.default.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        throw CoturnError("turnserver not found: run scripts/bootstrap (Debian package coturn)")
    }

    /// A UDP port nothing is bound to right now.
    static func freeUDPPort() throws -> Int {
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress?.port ?? 0
        try channel.close().wait()
        return port
    }
}

struct CoturnError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
