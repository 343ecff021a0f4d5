/// ICE in words, for `PeerConnectionStats` (and through it the manifest): the selected pair,
/// the candidates on both sides and every pair's state.
public struct IceSummary: Sendable, Equatable {
    /// `LOCAL <-> REMOTE`, nil until a pair is selected.
    public var selectedPair: String?
    public var localCandidates: [String]
    public var remoteCandidates: [String]
    /// `IceAgent.candidatePairSummaries`.
    public var candidatePairs: [String]

    public init(selectedPair: String? = nil, localCandidates: [String] = [], remoteCandidates: [String] = [],
                candidatePairs: [String] = []) {
        self.selectedPair = selectedPair
        self.localCandidates = localCandidates
        self.remoteCandidates = remoteCandidates
        self.candidatePairs = candidatePairs
    }
}

extension IceAgent {
    /// What the summary was made from: it is made again only when one of these changed.
    struct SummarySource: Equatable {
        var localCandidates: [LocalCandidate]
        var remoteCandidates: [Candidate]
        var pairs: [CandidatePair]
        var selectedPairIndex: Int?
    }

    /// The summary as things stand. A recorder asks for every connection's each time it writes
    /// the manifest (every 2 s), while candidates, pairs and the selection settle in the first
    /// seconds of a call: made afresh each time, the words were a third of a hundred-participant
    /// I/O loop's allocations. Comparing what it was made from costs no allocation (the arrays
    /// are shared until ICE changes one of them).
    public var summary: IceSummary {
        let source = SummarySource(localCandidates: localCandidates, remoteCandidates: remoteCandidates, pairs: pairs,
                                   selectedPairIndex: selectedPairIndex)
        if let summarized, summarized.source == source { return summarized.summary }
        let summary = IceSummary(selectedPair: selectedPair.map { "\($0.local) <-> \($0.remote)" },
                                 localCandidates: gatheredCandidates.map(\.description),
                                 remoteCandidates: knownRemoteCandidates.map(\.description),
                                 candidatePairs: candidatePairSummaries)
        summarized = (source, summary)
        return summary
    }
}
