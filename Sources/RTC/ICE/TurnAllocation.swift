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

    /// The authentication attributes for a request, once the server has told us realm and nonce.
    var authAttributes: [StunAttribute] {
        guard let realm, let nonce else { return [] }
        return [.username(server.username), .realm(realm), .nonce(nonce)]
    }
}
