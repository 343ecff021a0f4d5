/// One continuous timeline per received track (media section), across what breaks RTP time: a
/// publisher that restarts (new SSRC, new random timestamp base) or a sender whose timestamps
/// jump. Such a break is re-anchored on arrival time, so the timeline advances by the wall time
/// that passed instead of by an arbitrary number (a raw jump has made files 35 hours long).
final class ContinuousTrackTimeline {
    /// A frame whose RTP time disagrees with its arrival time by more than this is a jump.
    static let maximumJump: Duration = .seconds(5)

    let clockRate: Int64
    private var ssrc: UInt32?
    private var offset: Int64 = 0
    private var last: (timeline: Int64, rtpTimestamp: Int64, arrival: ContinuousClock.Instant)?
    private(set) var discontinuities = 0

    init(clockRate: Int64) {
        self.clockRate = max(1, clockRate)
    }

    /// The timeline position of a frame from `ssrc` with extended timestamp `rtpTimestamp`.
    func position(ssrc: UInt32, rtpTimestamp: Int64, arrival: ContinuousClock.Instant) -> Int64 {
        if let last {
            let rtpElapsed = rtpTimestamp - last.rtpTimestamp
            let wallElapsed = ticks(arrival - last.arrival)
            let jumped = abs(rtpElapsed - wallElapsed) > ticks(Self.maximumJump)
            if ssrc != self.ssrc || jumped {
                offset = last.timeline + max(1, wallElapsed) - rtpTimestamp
                discontinuities += 1
            }
        } else {
            offset = -rtpTimestamp
        }
        self.ssrc = ssrc
        let position = rtpTimestamp + offset
        last = (position, rtpTimestamp, arrival)
        return position
    }

    private func ticks(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * clockRate + Int64(Double(attoseconds) / 1e18 * Double(clockRate))
    }
}
