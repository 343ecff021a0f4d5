/// A DTLS certificate or transport could not be made: OpenSSL refused (out of memory, or a library
/// without what Tapedeck needs: P-256, DTLS 1.2, the SRTP extension), or the configuration lacks
/// what a WebRTC transport needs. Not a peer's fault.
public struct DTLSSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    init(reason: String) {
        description = reason
    }

    /// An OpenSSL call that failed, with what OpenSSL queued about it.
    static func openSSL(_ operation: String) -> DTLSSetupError {
        let detail = OpenSSLErrorQueue.drain()
        return DTLSSetupError(reason: detail.isEmpty ? "\(operation) failed" : "\(operation) failed: \(detail)")
    }
}
