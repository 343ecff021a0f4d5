/// What one peer may make an ICE agent hold. A participant that trickles candidates without end
/// (or checks us from ever new addresses) would otherwise grow the candidate tables, the check
/// list and the transactions of its connection, in a process that records everyone else too.
///
/// Only remote candidates are capped: the agent pairs them with its own candidates (a handful,
/// set by the machine's interfaces and TURN servers, not by the peer), so the pairs, the checks
/// and their transactions are bounded by the cap times that handful.
///
/// - 48 signalled candidates (SDP or trickled). A browser signals a host candidate per interface
///   address (UDP and TCP), a server-reflexive one per STUN server and a relay one per TURN
///   server and protocol: rarely more than 20, even with IPv6 privacy addresses. RFC 8445
///   (§6.1.2.5) has agents limit the pairs they check, 100 by default; str0m caps its pairs at
///   100, AWS's embedded ICE library its remote candidates at 100. With one socket of ours the
///   64 below make 64 pairs; each further socket or relay of ours adds as many.
/// - 64 in all: the 16 left over are for peer-reflexive ones, learned from authenticated checks,
///   so a peer whose signalled candidates filled their share still gets through on the addresses
///   its checks come from. (A peer-reflexive candidate the peer signals later counts as
///   signalled from then on; the total holds whatever the mix.)
/// - 8 peer-reflexive candidates of our own (the addresses the peer says it saw our checks come
///   from): a NAT gives us one or two, a peer answering each check with a new address none.
///
/// Past a cap the candidate is refused (a check from a refused address gets no answer, so the
/// peer does not count on that path) and counted in `refusedCandidates`.
enum IceCandidateLimits {
    static let signalledRemoteCandidates = 48
    static let remoteCandidates = 64
    static let peerReflexiveLocalCandidates = 8
}

extension IceAgent {
    /// Whether a new signalled remote candidate still fits. Called once per new candidate (not
    /// per packet): counting the table is fine.
    func admitsSignalledRemoteCandidate() -> Bool {
        guard remoteCandidates.count < IceCandidateLimits.remoteCandidates else { return refuse() }
        return admits(remoteCandidates.lazy.filter { $0.kind != .prflx }.count, limit: IceCandidateLimits.signalledRemoteCandidates)
    }

    /// Whether a peer-reflexive remote candidate (a check from an address we did not know) fits.
    func admitsPeerReflexiveRemoteCandidate() -> Bool {
        admits(remoteCandidates.count, limit: IceCandidateLimits.remoteCandidates)
    }

    /// Whether a peer-reflexive candidate of ours (an address the peer says it saw) fits.
    func admitsPeerReflexiveLocalCandidate() -> Bool {
        admits(localCandidates.lazy.filter { $0.candidate.kind == .prflx }.count,
               limit: IceCandidateLimits.peerReflexiveLocalCandidates)
    }

    /// A candidate held back while its mDNS name resolves, refused because too many are.
    func noteRefusedUnresolvedCandidate() {
        refusedCandidates += 1
    }

    private func admits(_ count: Int, limit: Int) -> Bool {
        count < limit ? true : refuse()
    }

    private func refuse() -> Bool {
        refusedCandidates += 1
        return false
    }
}
