/// A full ICE agent (RFC 8445) for one media stream with BUNDLE and rtcp-mux (one component),
/// sans-IO: datagrams and time go in; datagrams to send, events and the next wake-up come out.
///
/// It gathers host candidates on the bases (sockets) the driver gives it, server-reflexive ones
/// through STUN servers and relay ones through TURN servers; pairs them with the remote
/// candidates (trickled, or learned as peer-reflexive from the peer's checks); runs paced,
/// retransmitted connectivity checks; nominates (controlling) or follows the peer's nomination
/// (controlled); then keeps consent fresh (RFC 7675) on the selected pair.
public final class IceAgent {
    public internal(set) var role: IceRole
    public internal(set) var localCredentials: IceCredentials
    public internal(set) var remoteCredentials: IceCredentials?
    public internal(set) var state: IceConnectionState = .new
    let configuration: IceConfiguration
    var tieBreaker: UInt64
    var random: SeededRandom

    var localCandidates: [LocalCandidate] = []
    var remoteCandidates: [Candidate] = []
    var pairs: [CandidatePair] = []
    var triggeredChecks: [Int] = []
    var transactions = StunTransactionTable<TransactionPurpose>()
    var turn = TurnClient()
    /// Remote candidates hidden behind mDNS names, waiting for `multicastDNS` to resolve them.
    var unresolvedRemoteCandidates: [Candidate] = []
    var multicastDNS = MulticastDNSResolver()
    /// Names resolved so far (by `MulticastDNSResolver.key`): a browser keeps a name for its
    /// address for as long as it runs.
    var resolvedNames: [String: IPAddress] = [:]
    /// Where DTLS, SRTP and SRTCP may come from (IceAgent+CheckedPaths).
    var checkedPaths = CheckedPaths()
    var pendingGatherings = 0
    var gatheringStarted = false
    var gatheringComplete = false

    var selectedPairIndex: Int?
    /// The last `summary` and what it was made from (IceSummary.swift).
    var summarized: (source: SummarySource, summary: IceSummary)?
    var nextCheckAt: ContinuousClock.Instant?
    var checkingSince: ContinuousClock.Instant?
    var firstValidAt: ContinuousClock.Instant?
    var consent = ConsentFreshness()
    var lastTime: ContinuousClock.Instant?

    var outbox: [IceTransmit] = []
    var events: [IceEvent] = []

    /// Counters for diagnostics (`tapedeck join --json`).
    public internal(set) var droppedStun = 0
    /// Candidates turned away by `IceCandidateLimits` (the peer's, and ours it made up).
    public internal(set) var refusedCandidates = 0
    /// DTLS, SRTP and SRTCP datagrams dropped because their path had not passed ICE checks.
    public internal(set) var uncheckedSourceDrops = 0
    /// TURN responses ignored for want of valid MESSAGE-INTEGRITY (`TurnAllocation.authenticates`):
    /// forged, or from a server that does not sign them.
    public var unauthenticatedTurnResponses: Int { turn.unauthenticatedResponses }

    enum TransactionPurpose {
        case check(pair: Int, nominating: Bool)
        case consent(pair: Int)
        case serverReflexive(base: TransportAddress)
    }

    public init(role: IceRole, credentials: IceCredentials, configuration: IceConfiguration = IceConfiguration(), seed: UInt64) {
        self.role = role
        self.localCredentials = credentials
        self.configuration = configuration
        self.random = SeededRandom(seed: seed)
        // Below 2^32 where a browser's is a random 64-bit number, so the bot all but always
        // loses a role conflict (RFC 8445 §7.3.1.1) and follows the peer's nomination. Chromium
        // keeps the controlling role of an offer it rolled back to answer ours; when it lost the
        // conflict that followed, it stopped answering our checks and media stalled (seen in
        // about one call in five). Two Tapedeck agents still resolve a conflict by chance.
        self.tieBreaker = random.next() >> 32
    }

    // MARK: Inputs

    /// Starts gathering on the driver's sockets: a host candidate per base (unless relay-only),
    /// a server-reflexive query per STUN server and an allocation per TURN server of the same
    /// address family; and a passive TCP host candidate (RFC 6544) per listening TCP socket in
    /// `passiveTCPBases` (see `addPassiveTCPBases`).
    public func startGathering(bases: [TransportAddress], passiveTCPBases: [TransportAddress] = [],
                               now: ContinuousClock.Instant) {
        guard !gatheringStarted else { return }
        gatheringStarted = true
        advance(to: now)
        for (index, base) in bases.enumerated() {
            if !configuration.relayOnly {
                let preference = UInt32(base.ip.isIPv6 ? 65_535 : 65_000) - UInt32(index)
                let host = Candidate(foundation: "h\(index)", priority: Candidate.priority(kind: .host, localPreference: preference),
                                     address: configuration.announcedAddresses.announced(for: base), kind: .host,
                                     ufrag: localCredentials.ufrag)
                addLocalCandidate(LocalCandidate(candidate: host, base: base))
                for server in configuration.stunServers where server.ip.isIPv6 == base.ip.isIPv6 {
                    queryServerReflexive(base: base, server: server, now: now)
                }
            }
            for server in configuration.turnServers where server.address.ip.isIPv6 == base.ip.isIPv6 {
                startAllocation(server: server, base: base, now: now)
            }
        }
        addPassiveTCPBases(passiveTCPBases, now: now)
        finishGatheringIfDone()
    }

    /// Listening TCP sockets (the process's ICE-TCP port, one per local address) whose
    /// connections the driver hands to this agent once a check on them names our ufrag. Each
    /// becomes a `tcptype passive` host candidate: the peer connects, we never do. Such a base is
    /// paired only with the peer-reflexive candidates its connections' checks reveal; frames
    /// from a connection arrive through `handle(datagram:from:on:)` with the TCP base as `base`.
    public func addPassiveTCPBases(_ tcpBases: [TransportAddress], now: ContinuousClock.Instant) {
        advance(to: now)
        guard !configuration.relayOnly else { return }
        for (index, base) in tcpBases.enumerated() where !localCandidates.contains(where: { $0.base == base }) {
            let preference = UInt32(base.ip.isIPv6 ? 8_191 : 8_000) - UInt32(index)
            var host = Candidate(foundation: "t\(index)",
                                 priority: Candidate.tcpPriority(tcpType: .passive, interfacePreference: preference),
                                 address: configuration.announcedAddresses.announced(for: base), kind: .host,
                                 ufrag: localCredentials.ufrag)
            host.tcpType = .passive
            addLocalCandidate(LocalCandidate(candidate: host, base: base))
        }
    }

    public func setRemoteCredentials(_ credentials: IceCredentials, now: ContinuousClock.Instant) {
        advance(to: now)
        if let current = remoteCredentials, current != credentials {
            restart(remote: credentials, now: now)
            return
        }
        remoteCredentials = credentials
        beginCheckingIfReady(now: now)
    }

    /// A trickled (or SDP) remote candidate. An mDNS `.local` candidate is paired once its name
    /// resolves (see IceAgent+MulticastDNS); until then, or if it never does, the peer's checks
    /// can still reveal its address as a peer-reflexive candidate.
    ///
    /// A signalled TCP candidate is paired with nothing: a peer's `active` ones (port 9) only say
    /// it will connect to our passive one, and we open no connections (its check over the
    /// connection makes the pair, see `handleCheck`).
    public func addRemoteCandidate(_ candidate: Candidate, now: ContinuousClock.Instant) {
        advance(to: now)
        guard candidate.component == 1, !candidate.isTCP else { return }
        if let ufrag = candidate.ufrag, let remote = remoteCredentials, ufrag != remote.ufrag { return }
        if candidate.mdnsHostname != nil {
            resolveLater(candidate, now: now)
            return
        }
        insertRemoteCandidate(candidate, now: now)
    }

    /// A usable remote candidate: a new one is paired with our candidates and checked.
    func insertRemoteCandidate(_ candidate: Candidate, now: ContinuousClock.Instant) {
        if let existing = remoteCandidates.firstIndex(where: { $0.address == candidate.address && $0.isTCP == candidate.isTCP }) {
            // A trickled (or resolved) candidate for an address we learned as peer-reflexive keeps
            // the pairs.
            if remoteCandidates[existing].kind == .prflx {
                remoteCandidates[existing].kind = candidate.kind
                remoteCandidates[existing].mdnsHostname = candidate.mdnsHostname
            }
            return
        }
        guard admitsSignalledRemoteCandidate() else { return }
        remoteCandidates.append(candidate)
        pairNewRemote(remoteCandidates.count - 1)
        beginCheckingIfReady(now: now)
        turn.requestPermissions(for: candidate.address.ip, now: now, random: &random, outbox: &outbox)
    }

    /// The driver closed (or lost) the connection from `remote` to our passive TCP candidate on
    /// `base`: its pairs fail, and a call that was selected on one fails at once with the reason
    /// rather than waiting for consent to expire.
    public func passiveTCPConnectionClosed(from remote: TransportAddress, on base: TransportAddress, reason: String,
                                           now: ContinuousClock.Instant) {
        advance(to: now)
        var closedPairs = Set<Int>()
        for index in pairs.indices {
            let local = localCandidates[pairs[index].local], peer = remoteCandidates[pairs[index].remote]
            guard local.candidate.isTCP, local.base == base, peer.isTCP, peer.address == remote else { continue }
            pairs[index].state = .failed
            closedPairs.insert(index)
            if index == selectedPairIndex {
                setState(.failed, reason: "the ICE-TCP connection from \(remote) closed: \(reason)")
            }
        }
        guard !closedPairs.isEmpty else { return }
        triggeredChecks.removeAll { closedPairs.contains($0) }
        transactions.cancel { purpose in
            switch purpose {
            case .check(let pair, _), .consent(let pair): closedPairs.contains(pair)
            default: false
            }
        }
    }

    /// The next datagram to send, if any.
    public func pollTransmit() -> IceTransmit? {
        outbox.isEmpty ? nil : outbox.removeFirst()
    }

    public func pollEvent() -> IceEvent? {
        events.isEmpty ? nil : events.removeFirst()
    }

    /// Whether a transmit or an event waits to be polled.
    public var hasPendingOutput: Bool { !outbox.isEmpty || !events.isEmpty }

    /// Wraps application data (DTLS, SRTCP) for the selected pair, through TURN when relayed.
    /// Before nomination completes, the best validated pair carries it: a DTLS server must be
    /// able to answer a ClientHello that raced ahead of USE-CANDIDATE.
    public func transmit(applicationData bytes: [UInt8]) -> IceTransmit? {
        guard state != .closed, state != .failed, let pairIndex = selectedPairIndex ?? bestValidPair else { return nil }
        let pair = pairs[pairIndex]
        return route(bytes, from: pair.local, to: remoteCandidates[pair.remote].address)
    }

    /// The highest-priority pair whose check succeeded, found without building a collection.
    var bestValidPair: Int? {
        var best: Int?
        for index in pairs.indices where pairs[index].state == .succeeded {
            if best.map({ pairs[index].priority > pairs[$0].priority }) ?? true { best = index }
        }
        return best
    }

    /// The pair media flows on, with our side as the peer sees it: behind a NAT that is our
    /// server-reflexive (or peer-reflexive) address, not the host candidate the checks left from.
    public var selectedPair: (local: Candidate, remote: Candidate)? {
        guard let selectedPairIndex else { return nil }
        let pair = pairs[selectedPairIndex]
        return (localCandidates[pair.validLocal ?? pair.local].candidate, remoteCandidates[pair.remote])
    }

    /// The candidates we signalled (host, server-reflexive, relay), in the order gathered.
    public var gatheredCandidates: [Candidate] {
        localCandidates.compactMap { $0.candidate.kind == .prflx ? nil : $0.candidate }
    }

    /// The peer's candidates we know: signalled (mDNS names once resolved) or peer-reflexive.
    public var knownRemoteCandidates: [Candidate] { remoteCandidates }

    /// Every candidate pair and where its checks stand, best first, as `STATE[ nominated][
    /// selected] LOCAL <-> REMOTE`: what to read when a connection hangs in `checking`.
    public var candidatePairSummaries: [String] {
        pairs.indices.sorted { pairs[$0].priority > pairs[$1].priority }.map { index in
            let pair = pairs[index]
            var text = "\(pair.state)"
            if pair.nominated { text += " nominated" }
            if index == selectedPairIndex { text += " selected" }
            return text + " \(localCandidates[pair.validLocal ?? pair.local].candidate) <-> \(remoteCandidates[pair.remote])"
        }
    }

    public func close(now: ContinuousClock.Instant) {
        guard state != .closed else { return }
        advance(to: now)
        turn.close(random: &random, outbox: &outbox)
        transactions.cancel { _ in true }
        setState(.closed, reason: nil)
    }

    // MARK: Bookkeeping shared by the extensions

    func advance(to now: ContinuousClock.Instant) {
        // Time never goes backwards for the core; a stale instant is treated as the last one.
        if let lastTime, now < lastTime { return }
        lastTime = now
    }

    func setState(_ newState: IceConnectionState, reason: String?) {
        guard state != newState, state != .closed else { return }
        if state == .failed, newState != .closed { return }
        state = newState
        events.append(.stateChanged(newState, reason: reason))
    }

    func addLocalCandidate(_ local: LocalCandidate) {
        let sameAddress = { (other: LocalCandidate) in other.candidate.address == local.candidate.address && other.candidate.kind == local.candidate.kind
            && other.candidate.tcpType == local.candidate.tcpType }
        guard !localCandidates.contains(where: { sameAddress($0) && $0.base == local.base }) else { return }
        // Two sockets announced under one public address (`AnnouncedAddress` for a whole family)
        // are one candidate to the peer, signalled once; both still answer and send checks.
        let signalled = localCandidates.contains(where: sameAddress)
        localCandidates.append(local)
        if !signalled { events.append(.localCandidate(local.candidate)) }
        // Server-reflexive candidates are signalled but never paired: checks go out from their
        // base, which the host candidate already covers (RFC 8445 §6.1.2.4).
        if local.candidate.kind != .srflx { pairNewLocal(localCandidates.count - 1) }
    }

    func finishGatheringIfDone() {
        guard gatheringStarted, !gatheringComplete, pendingGatherings == 0 else { return }
        gatheringComplete = true
        events.append(.gatheringComplete)
    }

    /// Signalled candidates are paired with our UDP ones only: a passive TCP candidate gets a
    /// pair when a peer's connection checks it (see `handleCheck`).
    private func pairNewRemote(_ remoteIndex: Int) {
        for localIndex in localCandidates.indices
        where localCandidates[localIndex].candidate.kind != .srflx && !localCandidates[localIndex].candidate.isTCP {
            addPair(local: localIndex, remote: remoteIndex)
        }
    }

    private func pairNewLocal(_ localIndex: Int) {
        guard !localCandidates[localIndex].candidate.isTCP else { return }
        for remoteIndex in remoteCandidates.indices { addPair(local: localIndex, remote: remoteIndex) }
    }

    @discardableResult
    func addPair(local: Int, remote: Int) -> Int? {
        let localCandidate = localCandidates[local].candidate
        let remoteCandidate = remoteCandidates[remote]
        guard localCandidate.address.ip.isIPv6 == remoteCandidate.address.ip.isIPv6,
              localCandidate.isTCP == remoteCandidate.isTCP else { return nil }
        if configuration.relayOnly, localCandidate.kind != .relay { return nil }
        if let existing = pairs.firstIndex(where: { $0.local == local && $0.remote == remote }) { return existing }
        let (g, d) = role == .controlling ? (localCandidate.priority, remoteCandidate.priority) : (remoteCandidate.priority, localCandidate.priority)
        pairs.append(CandidatePair(local: local, remote: remote, priority: CandidatePair.priority(controlling: g, controlled: d)))
        if nextCheckAt == nil, remoteCredentials != nil, let lastTime { nextCheckAt = lastTime }
        return pairs.count - 1
    }

    func recomputePairPriorities() {
        for index in pairs.indices {
            let local = localCandidates[pairs[index].local].candidate.priority
            let remote = remoteCandidates[pairs[index].remote].priority
            pairs[index].priority = role == .controlling
                ? CandidatePair.priority(controlling: local, controlled: remote)
                : CandidatePair.priority(controlling: remote, controlled: local)
        }
    }

    private func beginCheckingIfReady(now: ContinuousClock.Instant) {
        guard remoteCredentials != nil, !remoteCandidates.isEmpty || !localCandidates.isEmpty else { return }
        if state == .new {
            checkingSince = now
            setState(.checking, reason: nil)
        }
        if nextCheckAt == nil, !pairs.isEmpty { nextCheckAt = now }
    }

    /// An ICE restart (RFC 8445 §9), asked for by the peer with new credentials: we take new
    /// ones too (read `localCredentials` for the answer), checks start over; local candidates
    /// and TURN allocations are kept.
    func restart(remote: IceCredentials, now: ContinuousClock.Instant) {
        localCredentials = IceCredentials.random()
        remoteCredentials = remote
        remoteCandidates.removeAll()
        unresolvedRemoteCandidates.removeAll()
        multicastDNS.cancelAll()
        pairs.removeAll()
        triggeredChecks.removeAll()
        transactions.cancel { purpose in
            switch purpose {
            case .check, .consent: true
            default: false
            }
        }
        selectedPairIndex = nil
        firstValidAt = nil
        consent.reset()
        checkingSince = now
        state = .new
        setState(.checking, reason: "ICE restart")
    }

    /// Prepares a datagram from one of our candidates: direct from its base, or inside a TURN
    /// Send indication when the candidate is a relay.
    func route(_ bytes: [UInt8], from localIndex: Int, to destination: TransportAddress) -> IceTransmit {
        let local = localCandidates[localIndex]
        guard local.candidate.kind == .relay, let server = local.turnServer else {
            return IceTransmit(base: local.base, destination: destination, bytes: bytes)
        }
        let indication = StunMessage(type: StunMessageType(method: .send, class: .indication),
                                     transactionID: .random(using: &random),
                                     attributes: [.xorPeerAddress(destination), .data(bytes)])
        return IceTransmit(base: local.base, destination: server.address, bytes: indication.encoded(fingerprint: false),
                           transport: server.transport)
    }
}
