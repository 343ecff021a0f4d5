/// A local candidate paired with a remote one, and the state of the checks on it (RFC 8445 §6.1.2).
struct CandidatePair: Hashable {
    enum State: Hashable, CustomStringConvertible {
        case waiting, inProgress, succeeded, failed

        /// Spelled out: interpolating an enum without a description goes through reflection,
        /// for every pair of every connection each time the manifest is written.
        var description: String {
            switch self {
            case .waiting: "waiting"
            case .inProgress: "inProgress"
            case .succeeded: "succeeded"
            case .failed: "failed"
            }
        }
    }

    let local: Int   // index into the agent's local candidates
    let remote: Int  // index into the agent's remote candidates
    var priority: UInt64
    var state: State = .waiting
    var nominated = false
    /// The controlled agent saw USE-CANDIDATE on this pair before it was valid: nominate it when
    /// our own check succeeds (RFC 8445 §7.3.1.5).
    var nominateOnSuccess = false
    /// The local candidate of the valid pair (RFC 8445 §7.2.5.3.1) when it is not `local`: the
    /// address the peer saw our check come from (XOR-MAPPED-ADDRESS) was a NAT's, so our side
    /// of this pair is the server-reflexive (or a peer-reflexive) candidate on `local`'s base.
    var validLocal: Int?

    /// RFC 8445 §6.1.2.3: 2^32·min(G,D) + 2·max(G,D) + (G > D ? 1 : 0), G the controlling side's.
    static func priority(controlling: UInt32, controlled: UInt32) -> UInt64 {
        let g = UInt64(controlling), d = UInt64(controlled)
        return (min(g, d) << 32) + 2 * max(g, d) + (g > d ? 1 : 0)
    }
}

/// One of our candidates and the socket (base) it sends from.
struct LocalCandidate: Hashable {
    var candidate: Candidate
    var base: TransportAddress
    /// For relay candidates, the TURN server the allocation lives on.
    var turnServer: TurnServer?
}
