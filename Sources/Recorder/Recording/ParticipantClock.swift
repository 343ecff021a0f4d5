/// Where a participant's frames lie in time, on the sender's wall clock: each track's RTP
/// timeline is anchored by its RTCP sender reports (so audio and video of one sender line up
/// to the millisecond, whatever their RTP bases), and a track without a report yet borrows the
/// recorder's arrival clock, converted to the sender's through the offset seen on the others.
///
/// Times are Unix seconds. Sans-IO: every observation carries its own times.
struct ParticipantClock {
    /// Per track (by its key), the sender's wall-clock time at timeline position 0.
    private var senderOrigins: [TrackKey: Double] = [:]
    /// Per track, the earliest `arrival − timestamp/rate` seen: the arrival-clock origin with
    /// the least network delay in it.
    private var arrivalOrigins: [TrackKey: Double] = [:]
    /// The smallest `arrival − senderTime` seen: one-way delay plus the two clocks' offset.
    private(set) var senderToLocal: Double?

    /// Notes one frame of `track`. `senderTime` is the frame's sender wall clock, when an SR
    /// mapped it; `arrival` the recorder's wall clock when it arrived.
    mutating func observe(_ track: TrackKey, timestamp: Int64, clockRate: Int, senderTime: Double?, arrival: Double) {
        let position = Double(timestamp) / Double(clockRate)
        if let senderTime {
            senderOrigins[track] = senderTime - position
            let offset = arrival - senderTime
            senderToLocal = min(senderToLocal ?? offset, offset)
        }
        let arrivalOrigin = arrival - position
        arrivalOrigins[track] = min(arrivalOrigins[track] ?? arrivalOrigin, arrivalOrigin)
    }

    /// Whether `track` is anchored by a sender report.
    func hasSenderReport(_ track: TrackKey) -> Bool { senderOrigins[track] != nil }

    /// The sender wall-clock time at position 0 of `track`'s timeline: from its SR, else from
    /// arrivals shifted by the offset learned from the other tracks (none learned: the clocks
    /// are taken as equal).
    func origin(of track: TrackKey) -> Double? {
        if let origin = senderOrigins[track] { return origin }
        guard let arrival = arrivalOrigins[track] else { return nil }
        return arrival - (senderToLocal ?? 0)
    }

    /// The recorder's wall clock for a sender time (for the manifest: files of different
    /// participants on one timeline).
    func localTime(ofSenderTime time: Double) -> Double { time + (senderToLocal ?? 0) }
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
