/// Sees what a `PeerConnection` receives as SRTP lets it through: every RTP and RTCP packet,
/// decrypted, before the pipeline reads it, and every offer/answer exchange the connection
/// settled, in the order they happened (the raw capture). Called synchronously on the
/// connection's thread; the bytes are only valid during the call, and it must not block.
public protocol DecryptedPacketTap: AnyObject {
    func tapRTP(_ packet: UnsafeRawBufferPointer, now: ContinuousClock.Instant)
    func tapRTCP(_ packet: UnsafeRawBufferPointer, now: ContinuousClock.Instant)
    /// One settled offer/answer: `offer` came from the peer when `remoteOffered`, else from us.
    func tapNegotiation(offer: String, answer: String, remoteOffered: Bool, now: ContinuousClock.Instant)
}
