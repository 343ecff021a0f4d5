import NIOSSL
import Synchronization

/// The TLS client contexts of connections to `turns:` servers, one per set of trusted
/// certificates, made once for the process: a context loads the system's trust store, which is
/// too slow to do per peer connection, and then serves every connection.
///
/// Certificates are always verified (chain and name); there is no switch to skip it. A server
/// whose certificate no public CA signs is trusted by giving its CA (or, self-signed, its own
/// certificate) as `trustedCAFile`.
public enum TurnTLSContexts {
    private static let contexts = Mutex<[String?: NIOSSLContext]>([:])

    /// The context for servers trusted through the system's store and, if given, `trustedCAFile`
    /// (PEM). Call it at start-up with the file the user named, so a bad file stops the command
    /// there; the drivers then find it made.
    public static func context(trustedCAFile: String?) throws(TurnTLSTrustError) -> NIOSSLContext {
        do {
            return try contexts.withLock { contexts in
                if let known = contexts[trustedCAFile] { return known }
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.certificateVerification = .fullVerification
                if let trustedCAFile {
                    let certificates = try NIOSSLCertificate.fromPEMFile(trustedCAFile)
                    guard !certificates.isEmpty else { throw TurnTLSTrustError(description: "no PEM certificate") }
                    configuration.additionalTrustRoots = [.certificates(certificates)]
                }
                let context = try NIOSSLContext(configuration: configuration)
                contexts[trustedCAFile] = context
                return context
            }
        } catch {
            throw TurnTLSTrustError(description: "cannot use \(trustedCAFile.map { "the CA certificates in \($0)" } ?? "the system's trust store") for TURN over TLS: \(error)")
        }
    }
}

public struct TurnTLSTrustError: Error, Hashable, CustomStringConvertible {
    public let description: String
}
