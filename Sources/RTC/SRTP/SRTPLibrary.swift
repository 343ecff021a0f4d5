internal import CSRTP

/// libsrtp's process-wide set-up. srtp_init registers the crypto kernel's ciphers and must run
/// once before any session is made; a `static let` initialiser runs exactly once, thread-safely.
enum SRTPLibrary {
    private static let initializationStatus: UInt32 = srtp_init().rawValue

    static func initialize() throws(SRTPSetupError) {
        guard initializationStatus == srtp_err_status_ok.rawValue else {
            throw SRTPSetupError(operation: "srtp_init", status: initializationStatus)
        }
    }
}
