/// Where a `DTLSTransport` stands. `failed` and `closed` are terminal.
public enum DTLSState: Sendable, Hashable {
    /// Built; `start(now:)` (or the first datagram or timeout) has not run yet.
    case new
    /// The handshake is under way.
    case connecting
    /// The handshake finished, the peer's certificate matched the SDP, and SRTP keys are exported.
    case connected(SRTPKeyingMaterial)
    /// The handshake or the connection failed; the reason is meant for logs and job reports.
    case failed(reason: String)
    /// One side sent close_notify.
    case closed

    public var isTerminal: Bool {
        switch self {
        case .failed, .closed: true
        case .new, .connecting, .connected: false
        }
    }
}
