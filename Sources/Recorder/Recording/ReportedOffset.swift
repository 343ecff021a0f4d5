/// How far one of a participant's tracks lies from the participant's leading track, as their
/// RTCP sender reports place them (RFC 3550 §6.4.1): the lip-sync offset. Each pair of reports
/// is an observation, weighed against the ones before:
/// - one that agrees with the accepted offset (within `agreement`) changes nothing;
/// - a small move (up to `smallMove`: clock drift, a sender refining its mapping) is followed
///   at once;
/// - a larger move is followed only once `observationsToConfirm` in a row agree on it (one
///   track's clock restarted, or the first observation was the odd one), each within a small
///   move of the one before, the leeway a sender's reports have anyway; until then, and for
///   good when they never agree, the reports are distrusted and the accepted offset stays.
/// A sender whose wall clock jumps moves both tracks' reports alike: their offset does not
/// move, and an observation made between the two tracks' reports is outvoted. Reports
/// distrusted within the last `recentObservations` make the offset untrusted (`isTrusted`):
/// a sender whose reports keep disagreeing is placed by arrival until they agree again.
///
/// Sans-IO: the caller hands in each new observation.
struct ReportedOffset {
    struct Thresholds {
        var agreement = 0.010
        var smallMove = 0.080
        var observationsToConfirm = 3
        var recentObservations = 4
    }

    let thresholds: Thresholds
    /// Seconds from the leading track's timeline origin to the track's, on the sender's clock (nil
    /// before any observation).
    private(set) var accepted: Double?
    private(set) var followed = 0
    private(set) var distrusted = 0
    /// The largest move among the distrusted observations, in seconds.
    private(set) var largestDistrustedMove = 0.0
    /// A large move seen in the latest observations (the latest of them), and how many in a row
    /// agreed on it.
    private var candidate: (offset: Double, observations: Int)?
    /// One bit an observation, newest lowest: set when it was distrusted.
    private var recentDistrust: UInt64 = 0

    /// Whether none of the latest observations was distrusted.
    var isTrusted: Bool { recentDistrust & ((1 << UInt64(thresholds.recentObservations)) - 1) == 0 }

    init(thresholds: Thresholds = Thresholds()) {
        self.thresholds = thresholds
    }

    /// Weighs one observation. Returns whether the accepted offset moved (or was first set), or
    /// whether it being trusted changed: either way the track may have to be placed anew.
    mutating func observe(_ offset: Double) -> Bool {
        let wasTrusted = isTrusted
        let verdict = weigh(offset)
        recentDistrust = recentDistrust << 1 | (verdict == .distrusted ? 1 : 0)
        return verdict == .moved || isTrusted != wasTrusted
    }

    private enum Verdict { case agreed, moved, distrusted }

    private mutating func weigh(_ offset: Double) -> Verdict {
        guard let current = accepted else {
            accepted = offset
            return .moved
        }
        let move = abs(offset - current)
        if move <= thresholds.agreement {
            candidate = nil
            return .agreed
        }
        if move <= thresholds.smallMove {
            return follow(offset)
        }
        // A sender's reports jitter by tens of milliseconds from one to the next (webrtcbin's on a
        // busy machine do): a move is confirmed by observations as close to each other as a
        // small move, not by an agreement none of them would reach.
        if let candidate, abs(offset - candidate.offset) <= thresholds.smallMove {
            self.candidate = (offset, candidate.observations + 1)
        } else {
            candidate = (offset, 1)
        }
        if let candidate, candidate.observations >= thresholds.observationsToConfirm {
            return follow(offset)
        }
        distrusted += 1
        largestDistrustedMove = max(largestDistrustedMove, move)
        return .distrusted
    }

    private mutating func follow(_ offset: Double) -> Verdict {
        accepted = offset
        candidate = nil
        followed += 1
        return .moved
    }
}
