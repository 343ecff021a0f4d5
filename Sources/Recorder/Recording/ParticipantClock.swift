/// Where a participant's tracks lie in time, on the recorder's wall clock (Unix seconds).
///
/// One track leads (`lead(with:)`: the first audio track, since audio plays continuously and
/// cannot move without a gap or an overlap). A segment places it by the arrival of its frames
/// and never moves it. Each other track is placed next to the leader by the sender's RTCP
/// sender reports, so audio and video of one sender line up to the millisecond whatever their
/// RTP bases; the offset the reports give is weighed by `ReportedOffset`, so reports that jump,
/// drift or run backwards misplace nothing (GStreamer's webrtcbin runs its reports' RTP time at
/// twice the media's rate, but reports both tracks in one compound packet, so their offset
/// holds). Without reports on both, or with reports that keep disagreeing or that disagree with
/// the arrivals by more than any real sender's delays could, arrivals place it.
/// Files of different participants meet on the recorder's clock through their arrivals.
///
/// Sans-IO: every observation carries its own times.
struct ParticipantClock {
    private struct Track {
        /// The earliest `arrival − position` seen: the arrival-clock origin with the least
        /// network delay in it.
        var arrivalOrigin: Double
        /// The sender-clock time at position 0 as the latest sender report maps it, and that
        /// report's number.
        var reportedOrigin: Double?
        var report = 0
        var reports = 0
        /// The track's offset from the leader, weighed over the reports of both.
        var offset = ReportedOffset()
        /// The leader's report the last offset observation was made at (nil: none made yet).
        var observedAtLeaderReport: Int?
    }

    private var tracks: [TrackKey: Track] = [:]
    private(set) var leader: TrackKey?

    /// Notes one frame of `track` at `timestamp` (its continuous timeline, `clockRate` units).
    /// `senderTime` is the frame's sender wall clock as sender report number `senderReport`
    /// mapped it; `arrival` the recorder's wall clock when it arrived. Returns whether the
    /// track's offset from the leader moved.
    @discardableResult
    mutating func observe(_ track: TrackKey, timestamp: Int64, clockRate: Int, senderTime: Double?, senderReport: Int,
                          arrival: Double) -> Bool {
        let position = Double(timestamp) / Double(clockRate)
        let arrivalOrigin = arrival - position
        let leading = leader.flatMap { tracks[$0] }
        return Self.note(&tracks[track, default: Track(arrivalOrigin: arrivalOrigin)], arrivalOrigin: arrivalOrigin,
                         reportedOrigin: senderTime.map { $0 - position }, report: senderReport,
                         leader: track == leader ? nil : leading)
    }

    /// One dictionary access a frame: the track is updated in place.
    private static func note(_ track: inout Track, arrivalOrigin: Double, reportedOrigin: Double?, report: Int,
                             leader: Track?) -> Bool {
        track.arrivalOrigin = min(track.arrivalOrigin, arrivalOrigin)
        guard let reportedOrigin else { return false }
        if report != track.report { track.reports += 1 }
        track.reportedOrigin = reportedOrigin
        track.report = report
        // One observation a leader's report, made with this track's latest: a wall-clock jump
        // between the two tracks' reports can then mislead at most one observation (video
        // reports about every second, Chromium's audio every five).
        guard let leader, let leaderOrigin = leader.reportedOrigin, track.observedAtLeaderReport != leader.report else {
            return false
        }
        track.observedAtLeaderReport = leader.report
        return track.offset.observe(reportedOrigin - leaderOrigin)
    }

    /// Makes `track` the one the others are placed next to. A new leader weighs every offset
    /// anew, starting from the latest reports.
    mutating func lead(with track: TrackKey) {
        guard track != leader else { return }
        leader = track
        let leading = tracks[track]
        for (key, var other) in tracks {
            other.offset = ReportedOffset()
            other.observedAtLeaderReport = nil
            if key != track, let leading, let leaderOrigin = leading.reportedOrigin, let origin = other.reportedOrigin {
                other.observedAtLeaderReport = leading.report
                _ = other.offset.observe(origin - leaderOrigin)
            }
            tracks[key] = other
        }
    }

    /// Whether `track` has had a sender report.
    func hasSenderReport(_ track: TrackKey) -> Bool { tracks[track]?.reportedOrigin != nil }

    /// The recorder's wall clock at position 0 of `track`'s timeline, by arrival.
    func arrivalOrigin(of track: TrackKey) -> Double? { tracks[track]?.arrivalOrigin }

    /// The recorder's wall clock at position 0 of `track`'s timeline when the leader's lies at
    /// `leaderOrigin`: the weighed sender-report offset between the two while it is trusted and
    /// within `plausibleDisagreement` of what the arrivals say; else the arrivals' offset.
    func origin(of track: TrackKey, leaderOrigin: Double) -> Double? {
        guard let leader, let placed = tracks[track], let reference = tracks[leader] else { return nil }
        if track == leader { return leaderOrigin }
        return leaderOrigin + Self.placement(of: placed, leader: reference).offset
    }

    /// How far apart a sender's reports and the arrivals may place two of its tracks before the
    /// arrivals are believed: capture, encoding and network delays differ between a sender's
    /// audio and video by tens of milliseconds, not by a third of a second.
    static let plausibleDisagreement = 0.300

    private static func placement(of track: Track, leader: Track) -> (offset: Double, by: SenderReportTiming.Placement) {
        let arrivalOffset = track.arrivalOrigin - leader.arrivalOrigin
        guard let reported = track.offset.accepted, track.offset.isTrusted,
              abs(reported - arrivalOffset) <= plausibleDisagreement else { return (arrivalOffset, .arrival) }
        return (reported, .reports)
    }

    /// How `track`'s sender reports were weighed (nil: none arrived).
    func senderReportTiming(of track: TrackKey) -> SenderReportTiming? {
        guard let placed = tracks[track], placed.reports > 0 else { return nil }
        var timing = SenderReportTiming()
        timing.reports = placed.reports
        timing.followed = placed.offset.followed
        timing.distrusted = placed.offset.distrusted
        timing.largestDistrustedMoveMs = (placed.offset.largestDistrustedMove * 1_000).rounded()
        if let leader, track != leader, let reference = tracks[leader] {
            timing.placedBy = Self.placement(of: placed, leader: reference).by
            if let reported = placed.offset.accepted {
                timing.arrivalDisagreementMs = (abs(reported - (placed.arrivalOrigin - reference.arrivalOrigin)) * 1_000).rounded()
            }
        }
        return timing
    }
}

/// A track of a participant: its media section (mid), or the SSRC when the sender gave none.
struct TrackKey: Hashable, Sendable, CustomStringConvertible {
    var mid: String?
    var ssrc: UInt32

    /// Frames of one track share the mid across publisher restarts (a new SSRC), so the mid is
    /// the identity when there is one.
    init(mid: String?, ssrc: UInt32) {
        self.mid = mid
        self.ssrc = mid == nil ? ssrc : 0
    }

    var description: String { mid.map { "mid \($0)" } ?? "ssrc \(ssrc)" }
}
