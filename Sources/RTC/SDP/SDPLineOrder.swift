/// The one place that decides the order lines are written in.
///
/// The parser applies the same order to what it reads, so that writing a parsed description and
/// reading it back yields an equal value even when the original text used a different order
/// (Firefox lists every fmtp before every rtpmap, for instance).
enum SDPLineOrder {
    /// RFC 8866 §5 order of the session-level line types kept in `otherLines`; `t=` is the typed
    /// timing line, so extra `t=` lines and `r=` follow it.
    static let timingRank = 7
    private static let sessionRanks: [Character: Int] = [
        "i": 1, "u": 2, "e": 3, "p": 4, "c": 5, "b": 6, "t": 7, "r": 8, "z": 9, "k": 10,
    ]

    static func sessionRank(_ type: Character) -> Int { sessionRanks[type] ?? 11 }

    static func sessionOrdered(_ lines: [SDP.Line]) -> [SDP.Line] {
        stableSorted(lines) { sessionRank($0.type) }
    }

    /// `i=` comes before `c=` in a media section; the rest keep their order after `c=`.
    static func mediaOrdered(_ lines: [SDP.Line]) -> [SDP.Line] {
        stableSorted(lines) { $0.type == "i" ? 0 : 1 }
    }

    /// Puts wildcard feedback first, then each rtpmap's feedback and fmtp in rtpmap order, then
    /// any for payload types without an rtpmap — the order `SDPSerializer` writes them in.
    static func groupCodecAttributes(_ section: inout SDP.MediaDescription) {
        let rank = rtpMapRanks(section)
        section.feedback = stableSorted(section.feedback) { feedback in
            guard let payloadType = feedback.payloadType else { return -1 }
            return rank[payloadType] ?? Int.max
        }
        section.formatParameters = stableSorted(section.formatParameters) { rank[$0.payloadType] ?? Int.max }
    }

    static func rtpMapRanks(_ section: SDP.MediaDescription) -> [UInt8: Int] {
        var rank: [UInt8: Int] = [:]
        for (index, rtpMap) in section.rtpMaps.enumerated() where rank[rtpMap.payloadType] == nil {
            rank[rtpMap.payloadType] = index
        }
        return rank
    }

    /// A sort that keeps equal elements in their original order, whatever the standard library's
    /// algorithm happens to guarantee.
    private static func stableSorted<Element>(_ elements: [Element], by key: (Element) -> Int) -> [Element] {
        let keys = elements.map(key)
        // Browsers mostly write lines in this order already.
        if zip(keys, keys.dropFirst()).allSatisfy({ $0 <= $1 }) { return elements }
        return elements.indices
            .sorted { (keys[$0], $0) < (keys[$1], $1) }
            .map { elements[$0] }
    }
}
