/// Which peer connection a datagram on a shared UDP port belongs to, when one socket serves
/// every peer of the process (one port to publish, as LiveKit and mediasoup's WebRtcServer do).
///
/// - A connectivity check (STUN Binding request) names its receiver: the local part of its
///   USERNAME is our ufrag (RFC 8445 §7.2.2). It goes to the member that owns that ufrag, and
///   teaches the demultiplexer its source address.
/// - A STUN response goes to the member whose request it answers (by transaction ID), so the
///   answers of one STUN server to many members find their way.
/// - Everything else (DTLS, SRTP/SRTCP, keepalive indications) goes by source address: learned
///   from checks received and sent, so DTLS may arrive before the first check from that address.
/// - A datagram nobody claims is dropped and counted.
///
/// Two browsers behind one NAT share an IP address but not a port; their checks carry different
/// ufrags, so each lands with its own member. Sans-IO: the caller passes the time, and a lookup
/// in steady state (SRTP) is one dictionary read that allocates nothing.
public struct SharedPortDemultiplexer<Member> {
    public typealias MemberID = Int

    private struct Route {
        var id: MemberID
        var member: Member
    }

    private struct Registration {
        var member: Member
        /// The current ufrag last; the one before survives an ICE restart for checks in flight.
        var usernameFragments: [String]
        /// Addresses learned for this member, oldest first (for unregistering, and the cap).
        var addresses: [TransportAddress] = []
    }

    private struct PendingTransaction {
        var route: Route
        var expiresAt: ContinuousClock.Instant
    }

    private var registrations: [MemberID: Registration] = [:]
    private var byUsernameFragment: [String: Route] = [:]
    private var byAddress: [TransportAddress: Route] = [:]
    private var byTransaction: [StunTransactionKey: PendingTransaction] = [:]
    private var nextID: MemberID = 0
    private var nextSweepAt: ContinuousClock.Instant?
    public private(set) var statistics = SharedPortStatistics()

    /// A member keeps at most this many remote addresses: checks carrying a known ufrag from
    /// ever new sources (spoofed, or a peer roaming) cannot grow the table without bound.
    static var addressesPerMember: Int { 32 }
    /// A STUN transaction is over after 39.5 s of retransmissions (RFC 8489 §6.2.1).
    static var transactionLifetime: Duration { .seconds(45) }

    public init() {}

    public var memberCount: Int { registrations.count }

    /// Registers a member under its ICE ufrag; returns the handle to update or remove it by.
    public mutating func add(_ member: Member, usernameFragment: String) -> MemberID {
        let id = nextID
        nextID += 1
        registrations[id] = Registration(member: member, usernameFragments: [usernameFragment])
        byUsernameFragment[usernameFragment] = Route(id: id, member: member)
        return id
    }

    /// The member's ufrag changed (an ICE restart, RFC 8445 §9): checks for the new one reach
    /// it; the previous one is kept for checks already on their way, older ones are forgotten.
    public mutating func updateUsernameFragment(_ usernameFragment: String, of id: MemberID) {
        guard var registration = registrations[id], registration.usernameFragments.last != usernameFragment else { return }
        registration.usernameFragments.append(usernameFragment)
        byUsernameFragment[usernameFragment] = Route(id: id, member: registration.member)
        while registration.usernameFragments.count > 2 {
            let old = registration.usernameFragments.removeFirst()
            if byUsernameFragment[old]?.id == id { byUsernameFragment[old] = nil }
        }
        registrations[id] = registration
    }

    /// Forgets the member: its ufrags, addresses and transactions route nowhere any more.
    public mutating func remove(_ id: MemberID) {
        guard let registration = registrations.removeValue(forKey: id) else { return }
        for ufrag in registration.usernameFragments where byUsernameFragment[ufrag]?.id == id { byUsernameFragment[ufrag] = nil }
        for address in registration.addresses where byAddress[address]?.id == id { byAddress[address] = nil }
        byTransaction = byTransaction.filter { $0.value.route.id != id }
    }

    /// The member a datagram from `source` belongs to, or nil (dropped, counted).
    public mutating func route(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress,
                               now: ContinuousClock.Instant) -> Member? {
        if let first = datagram.first, DatagramKind(firstByte: first) == .stun, let stun = StunDatagramHeader(datagram) {
            switch stun.messageClass {
            case .request where stun.method == .binding:
                guard let ufrag = stun.receiverUsernameFragment(in: datagram) else { break }
                guard let route = byUsernameFragment[ufrag] else {
                    statistics.droppedUnknownUsernameFragment += 1
                    return nil
                }
                learn(source, for: route)
                return route.member
            case .successResponse, .errorResponse:
                if let pending = byTransaction.removeValue(forKey: stun.transactionID) { return pending.route.member }
            default:
                break
            }
        }
        guard let route = byAddress[source] else {
            statistics.droppedUnknownSource += 1
            return nil
        }
        return route.member
    }

    /// A datagram the member sends from the shared port: a STUN request's answer must find its
    /// way back (by transaction ID), and so must whatever the destination sends next (by address).
    public mutating func noteOutbound(_ datagram: UnsafeRawBufferPointer, to destination: TransportAddress, from id: MemberID,
                                      now: ContinuousClock.Instant) {
        guard let first = datagram.first, DatagramKind(firstByte: first) == .stun,
              let stun = StunDatagramHeader(datagram), stun.messageClass == .request,
              let member = registrations[id]?.member else { return }
        let route = Route(id: id, member: member)
        sweepTransactions(now: now)
        byTransaction[stun.transactionID] = PendingTransaction(route: route, expiresAt: now + Self.transactionLifetime)
        learn(destination, for: route)
    }

    /// The address now belongs to this member: the latest check wins, as a NAT that reuses a
    /// mapping for a new connection means the old one is gone.
    private mutating func learn(_ address: TransportAddress, for route: Route) {
        if byAddress[address]?.id == route.id { return }
        byAddress[address] = route
        guard var registration = registrations[route.id] else { return }
        registration.addresses.removeAll { $0 == address }
        registration.addresses.append(address)
        if registration.addresses.count > Self.addressesPerMember {
            let oldest = registration.addresses.removeFirst()
            if byAddress[oldest]?.id == route.id { byAddress[oldest] = nil }
        }
        registrations[route.id] = registration
    }

    private mutating func sweepTransactions(now: ContinuousClock.Instant) {
        if let nextSweepAt, now < nextSweepAt { return }
        nextSweepAt = now + .seconds(5)
        byTransaction = byTransaction.filter { $0.value.expiresAt > now }
    }

    /// The member that owns `usernameFragment` (current or previous), or nil: where an ICE-TCP
    /// connection goes whose first check names it. Counted as dropped when nobody does.
    public mutating func member(usernameFragment: String) -> Member? {
        guard let route = byUsernameFragment[usernameFragment] else {
            statistics.droppedUnknownUsernameFragment += 1
            return nil
        }
        return route.member
    }

    /// Whether a datagram from `address` would reach a member without a check naming it.
    public func knowsAddress(_ address: TransportAddress) -> Bool { byAddress[address] != nil }
}

/// What a shared port could not deliver.
public struct SharedPortStatistics: Sendable, Hashable {
    /// Checks for a ufrag no member owns (a peer that has gone, a scanner).
    public var droppedUnknownUsernameFragment = 0
    /// Other datagrams from an address no member has exchanged checks with.
    public var droppedUnknownSource = 0

    public init(droppedUnknownUsernameFragment: Int = 0, droppedUnknownSource: Int = 0) {
        self.droppedUnknownUsernameFragment = droppedUnknownUsernameFragment
        self.droppedUnknownSource = droppedUnknownSource
    }
}
