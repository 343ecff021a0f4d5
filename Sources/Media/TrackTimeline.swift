/// Keeps one track's decode timestamps strictly increasing, as every muxer here requires, and
/// keeps a video track decodable by starting it (and restarting it after a drop) at a keyframe.
///
/// The policy, in the muxer's time base (after rescaling, where two close timestamps can meet):
/// - later than the previous frame: written as is;
/// - equal, or earlier by at most `tolerance` ticks: written one tick after the previous frame
///   (counted in `timestampsAdjusted`). Dropping instead would break a video track until the
///   next keyframe, and a tick is inaudible and invisible;
/// - earlier by more: dropped (`framesDroppedOutOfOrder`). Shifting it would squeeze every later
///   frame onto consecutive ticks; upstream keeps one continuous timeline, so this is a bug there.
/// Audio also never overlaps: a frame that starts before the previous one ended (a track moved
/// back onto its sender's clock) is dropped, not nudged, because a decoder would play both and
/// the decoded timeline would run backwards. A frame that starts within a tick of the previous
/// end (rounding) is placed at that end.
/// Frames carry no B-frame reordering (WebRTC's H.264 is constrained baseline), so dts = pts.
struct TrackTimeline {
    enum Placement: Equatable {
        case write(at: Int64)
        case skip
    }

    let requiresKeyframe: Bool
    let tolerance: Int64
    private(set) var lastTimestamp: Int64?
    /// Audio: where the last frame written ends.
    private var lastEnd: Int64?
    private let isAudio: Bool
    private var waitingForKeyframe: Bool

    init(kind: MediaKind, tolerance: Int64) {
        requiresKeyframe = kind == .video
        isAudio = kind == .audio
        self.tolerance = tolerance
        waitingForKeyframe = requiresKeyframe
    }

    /// Where a frame with timestamp `pts` (muxer ticks) goes; updates `statistics` for skips
    /// and adjustments. A `.write` must be followed by `commit` once the muxer took it.
    mutating func place(pts: Int64, isKeyframe: Bool, statistics: inout TrackStatistics) -> Placement {
        if waitingForKeyframe {
            guard isKeyframe else {
                statistics.framesSkippedBeforeKeyframe += 1
                return .skip
            }
            waitingForKeyframe = false
        }
        if isAudio, let lastEnd, pts < lastEnd {
            guard lastEnd - pts <= 1 else {
                statistics.framesDroppedOutOfOrder += 1
                return .skip
            }
            statistics.timestampsAdjusted += 1
            return .write(at: lastEnd)
        }
        guard let last = lastTimestamp, pts <= last else { return .write(at: pts) }
        if last - pts <= tolerance {
            statistics.timestampsAdjusted += 1
            return .write(at: last + 1)
        }
        statistics.framesDroppedOutOfOrder += 1
        waitingForKeyframe = requiresKeyframe
        return .skip
    }

    /// `duration` (muxer ticks, 0 when unknown) places the end of an audio frame.
    mutating func commit(_ timestamp: Int64, duration: Int64 = 0) {
        lastTimestamp = timestamp
        if isAudio { lastEnd = timestamp + max(duration, 1) }
    }

    /// Where the frames committed so far end: an audio frame's samples, a video frame's timestamp.
    var end: Int64? { isAudio ? lastEnd : lastTimestamp }
}
