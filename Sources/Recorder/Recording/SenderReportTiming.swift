/// How a track's RTCP sender reports were weighed to place it next to the participant's leading
/// track (their first audio track), for lip sync; for the manifest. A report is an observation
/// of the sender's clock, not an order: some senders (GStreamer's webrtcbin among them) map
/// their RTP clock to a wall clock that moves from one report to the next.
public struct SenderReportTiming: Sendable, Hashable, Codable {
    /// What placed a track, as things stand.
    public enum Placement: String, Sendable, Hashable, Codable {
        /// The leading track: by the arrival of its packets, never moved.
        case leader
        /// By its offset from the leader as both tracks' sender reports give it.
        case reports
        /// By the arrival of its packets against the leader's: the reports were missing,
        /// distrusted lately, or disagreed with the arrivals by more than 300 ms.
        case arrival
    }

    public var placedBy = Placement.leader
    /// Sender reports that mapped the track's frames.
    public var reports = 0
    /// Times the track followed a move of its offset from the leading track: small moves (clock
    /// drift, a sender refining its mapping) at once, large ones once the next reports confirmed
    /// them. The leading track itself is placed by arrival and never moves.
    public var followed = 0
    /// Offsets from the leading track that moved a long way and were not confirmed by the
    /// reports after them: ignored. Non-zero means this sender's reports were distrusted.
    public var distrusted = 0
    /// The largest move among the distrusted reports, in milliseconds (0 when none).
    public var largestDistrustedMoveMs = 0.0
    /// How far the reports' offset lies from what the packets' arrivals say, in milliseconds
    /// (network and capture delays: tens of milliseconds for a sane sender).
    public var arrivalDisagreementMs = 0.0

    public init() {}
}
