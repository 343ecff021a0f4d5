/// How far a segment track's frames reach on its file's timeline (ticks of the track's time
/// base), so that the segment can line its tracks' ends up when it closes.
///
/// An audio frame ends where its samples do. A video frame carries no duration: the last one is
/// taken to last as long as the interval before it, at most `longestVideoFrame` — a frame
/// after a frozen camera is not shown for as long as the freeze.
struct TrackExtent {
    private(set) var end: Int64?
    private var lastVideoPTS: Int64?
    private let longestVideoFrame: Int64

    /// `ticksPerSecond`: the rate of the track's time base.
    init(ticksPerSecond: Double) {
        longestVideoFrame = Int64((0.1 * ticksPerSecond).rounded())
    }

    /// Notes an audio frame from `pts` lasting `duration` ticks.
    mutating func noteAudio(pts: Int64, duration: Int64) {
        end = max(end ?? .min, pts + duration)
    }

    /// Notes a video frame at `pts`.
    mutating func noteVideo(pts: Int64) {
        let interval = lastVideoPTS.map { min(max(pts - $0, 0), longestVideoFrame) } ?? 0
        end = max(end ?? .min, pts + interval)
        lastVideoPTS = max(lastVideoPTS ?? .min, pts)
    }
}
