/// Requests Tapedeck makes of a TURN server (RFC 8656).
enum TurnRequest: Hashable {
    case allocate
    case refresh
    case permission([IPAddress])
}

/// Our allocation on one TURN server, from one base: its credentials state, relayed address,
/// lifetime and the permissions installed for peers.
struct TurnAllocation {
    static let requestedLifetime: UInt32 = 600
    static let permissionLifetime: Duration = .seconds(300)
    static let refreshMargin: Duration = .seconds(60)

    let server: TurnServer
    let base: TransportAddress
    var realm: String?
    var nonce: String?
    var key: [UInt8]?
    /// Set once we have retried a request with credentials, so a second 401 means "wrong
    /// credentials" rather than "please authenticate".
    var authenticated = false
    var relayed: TransportAddress?
    var expiresAt: ContinuousClock.Instant?
    var failure: String?
    var permissions: [IPAddress: ContinuousClock.Instant] = [:]
    var pendingPermissions: Set<IPAddress> = []

    init(server: TurnServer, base: TransportAddress) {
        self.server = server
        self.base = base
    }

    func hasPermission(for ip: IPAddress) -> Bool { permissions[ip] != nil }

    /// The earliest moment the allocation or one of its permissions needs refreshing.
    var nextRefreshAt: ContinuousClock.Instant? {
        guard failure == nil, relayed != nil else { return nil }
        var earliest = expiresAt
        for expiry in permissions.values where earliest.map({ expiry < $0 }) ?? true { earliest = expiry }
        return earliest.map { $0 - Self.refreshMargin }
    }

    /// Whether a response from the server (to a request of ours, by transaction ID) may be acted
    /// on. A TURN server must authenticate every request with the long-term credential mechanism
    /// (RFC 8656 §5; RFC 5766 §4), and its responses to an authenticated request carry
    /// MESSAGE-INTEGRITY keyed with the same credentials (RFC 8489 §9.2.4); one whose integrity
    /// is missing or wrong is discarded as if never received, and the request is retransmitted
    /// (RFC 8489 §9.2.5) — else anyone who saw a transaction ID could hand us a relayed address of
    /// their choosing, refresh an allocation the server has dropped, or claim permissions.
    ///
    /// - 401 and 438 carry no integrity by design (the server could not, or no longer can, check
    ///   ours: RFC 8489 §9.2.4) and are taken as they come: a challenge, a new nonce.
    /// - Before the first challenge we have no key: an error response cannot be checked and is
    ///   taken (it says why the server refuses us); a success response is never legitimate, since
    ///   the server must have challenged an unauthenticated request.
    func authenticates(_ response: StunMessage) -> Bool {
        if response.type.messageClass == .errorResponse, let code = response.errorCode?.code, code == 401 || code == 438 {
            return true
        }
        guard let key else { return response.type.messageClass == .errorResponse }
        return response.hasValidIntegrity(key: key)
    }

    /// The authentication attributes for a request, once the server has told us realm and nonce.
    var authAttributes: [StunAttribute] {
        guard let realm, let nonce else { return [] }
        return [.username(server.username), .realm(realm), .nonce(nonce)]
    }
}
