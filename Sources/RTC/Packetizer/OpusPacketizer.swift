/// Opus over RTP (RFC 7587 §4.2): one Opus packet per RTP payload, unchanged.
public struct OpusPacketizer: Sendable {
    public init() {}

    /// Hands `frame` on as the single payload; an empty frame (never valid Opus) yields nothing.
    public func packetize(_ frame: UnsafeRawBufferPointer, into emit: (_ payload: UnsafeRawBufferPointer, _ isLast: Bool) -> Void) {
        guard !frame.isEmpty else { return }
        emit(frame, true)
    }
}
