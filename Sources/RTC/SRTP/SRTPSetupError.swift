/// libsrtp refused to create a session: keys of the wrong length, or a library built without the
/// profile's cipher (AES-GCM needs libsrtp built with OpenSSL or NSS).
public struct SRTPSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    /// libsrtp's srtp_err_status_t.
    public var status: UInt32

    public var description: String { "\(operation) failed with libsrtp status \(status)" }
}
