/// What the server queues for one client: a text message, or the end of its connection with a
/// WebSocket close code and reason (a refused token, an identity taken over by a new connection).
enum OutboundFrame: Sendable, Equatable {
    case text(String)
    case close(SignalingCloseCode, reason: String)
}

/// The close codes the server ends a connection with. 4000–4999 are for applications (RFC 6455
/// §7.4.2): `SignalingClient` stops on any of them instead of reconnecting, since trying again
/// with the same token cannot help. The standard ones (1008, 1013) it reconnects after.
public enum SignalingCloseCode: UInt16, Sendable, Equatable {
    /// The client broke the server's policy: it did not join in time, or did not read what was
    /// sent to it fast enough (RFC 6455 §7.4.1).
    case policyViolation = 1008
    /// The server is at its limit of connections (RFC 6455 §7.4.1, IANA registry).
    case tryAgainLater = 1013
    /// The room token is missing, malformed, badly signed, expired or for another room.
    case unauthorized = 4401
    /// Another connection joined with the same identity and took its place.
    case identityReplaced = 4409
}
