/// Protecting an outgoing packet failed.
public enum SRTPProtectError: Error, Sendable, Hashable {
    /// Shorter than a header, or no room after the packet for the SRTP trailer.
    case bufferTooSmall
    /// libsrtp's srtp_err_status_t for any other refusal.
    case failed(status: UInt32)
}
