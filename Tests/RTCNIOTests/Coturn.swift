import Foundation
import NIOCore
import NIOPosix

/// A real coturn `turnserver` on loopback for the duration of a test: UDP and TCP on `port`,
/// and, given a certificate, TLS on `tlsPort`.
final class Coturn {
    let port: Int
    let tlsPort: Int
    let username = "test"
    let password = "test"
    let realm = "test.local"
    static let relayPorts = 49_160...49_400
    private let process: Process
    private let logFile: URL

    init(certificate: SelfSignedCertificate? = nil) throws {
        // The listening port must lie outside the relay range, or coturn cannot allocate.
        var port = try Coturn.freeListeningPort()
        while Coturn.relayPorts.contains(port) { port = try Coturn.freeListeningPort() }
        self.port = port
        var tlsPort = try Coturn.freeListeningPort()
        while Coturn.relayPorts.contains(tlsPort) || tlsPort == port { tlsPort = try Coturn.freeListeningPort() }
        self.tlsPort = tlsPort
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("coturn-\(port).log")
        process = Process()
        process.executableURL = try Coturn.executable()
        process.arguments = [
            "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=\(port)",
            "--min-port=\(Coturn.relayPorts.lowerBound)", "--max-port=\(Coturn.relayPorts.upperBound)", "--lt-cred-mech", "--user=\(username):\(password)",
            "--realm=\(realm)", "--fingerprint", "--no-dtls", "--no-cli", "--allow-loopback-peers",
            "--no-tcp-relay", "--log-file=\(logFile.path)", "--simple-log", "--pidfile=",
        ]
        if let certificate {
            process.arguments! += ["--cert=\(certificate.certificateFile)", "--pkey=\(certificate.keyFile)", "--tls-listening-port=\(tlsPort)"]
        } else {
            process.arguments!.append("--no-tls")
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready once its TCP listeners accept (it binds UDP in the same breath); a fixed pause
        // was too short on a loaded machine and refused the first connection.
        let ports = certificate == nil ? [port] : [port, tlsPort]
        let deadline = Date().addingTimeInterval(15)
        while !ports.allSatisfy(Coturn.acceptsTCP) {
            guard process.isRunning else { throw CoturnError("turnserver exited at start: \(log)") }
            guard Date() < deadline else {
                // Not left running: the test that made it fails, and nothing else stops it.
                kill(process.processIdentifier, SIGKILL)
                throw CoturnError("turnserver did not listen within 15 s: \(log)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// A port free for UDP and for TCP both (coturn listens on both): a port the kernel handed out
    /// as free for UDP can be a TCP connection's local port, and coturn then retries its TCP
    /// listener's bind for ever (errno 98) without ever accepting.
    static func freeListeningPort() throws -> Int {
        for _ in 0..<100 {
            let port = try freeUDPPort()
            if tcpBindable(port) { return port }
        }
        throw CoturnError("no port free for both UDP and TCP in 100 tries")
    }

    /// Whether a TCP socket can bind 127.0.0.1:`port` now, with SO_REUSEADDR as coturn's has.
    private static func tcpBindable(_ port: Int) -> Bool {
        withTCPSocket(loopbackPort: port) { descriptor, address, length in
            var reuse: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
            return bind(descriptor, address, length) == 0
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    private static func acceptsTCP(_ port: Int) -> Bool {
        withTCPSocket(loopbackPort: port) { descriptor, address, length in connect(descriptor, address, length) == 0 }
    }

    /// Runs `body` with a new TCP socket (closed after) and the address 127.0.0.1:`port`.
    private static func withTCPSocket(loopbackPort port: Int,
                                      _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
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

/// An ECDSA certificate signed by its own key, made by the `openssl` CLI: what a coturn set up
/// by hand serves, trusted only when given as its own CA. It names `subjectAlternativeName`
/// (`IP:…` or `DNS:…`).
struct SelfSignedCertificate {
    let certificateFile: String
    let keyFile: String

    init(subjectAlternativeName: String = "IP:127.0.0.1") throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-turn-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificateFile = directory.appendingPathComponent("cert.pem").path
        keyFile = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", keyFile, "-out", certificateFile, "-days", "1", "-subj", "/CN=turn.test",
                             "-addext", "subjectAltName=\(subjectAlternativeName)"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw CoturnError("openssl req failed (\(openssl.terminationStatus))") }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: certificateFile).deletingLastPathComponent().path)
    }
}

struct CoturnError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
