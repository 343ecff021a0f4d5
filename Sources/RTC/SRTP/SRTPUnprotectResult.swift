/// What became of one received SRTP or SRTCP packet.
public enum SRTPUnprotectResult: Sendable, Hashable {
    /// Authenticated and decrypted in place; the plaintext packet is the first `length` bytes.
    case decrypted(length: Int)
    /// The same packet was already decrypted: dropped before paying for decryption.
    case duplicate
    /// The authentication tag did not match: corrupted, forged, or keyed for someone else.
    case authenticationFailed
    /// Too old for the replay window, or replayed (libsrtp's verdict).
    case replayed
    /// Too short, or not RTP/RTCP version 2.
    case malformed
    /// Any other libsrtp refusal, with its srtp_err_status_t.
    case failed(status: UInt32)
}
