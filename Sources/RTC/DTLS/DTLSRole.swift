/// Which end of the DTLS handshake we are (RFC 5763 §5, RFC 8842 §5.3).
public enum DTLSRole: Sendable, Hashable {
    /// We send the ClientHello: our SDP says `a=setup:active`, as in the answers the bot gives.
    case client
    /// We wait for the ClientHello: we offered `a=setup:actpass` and the remote answered `active`.
    case server
}
