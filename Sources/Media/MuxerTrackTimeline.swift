/// Keeps one track's decode timestamps strictly increasing, as every muxer here requires, and
/// keeps a video track decodable by starting it at a keyframe.
///
/// The policy, in the muxer's time base (after rescaling, where two close timestamps can meet):
/// - later than the previous frame: written as is;
/// - equal or earlier: written one tick after the previous frame. Nothing is dropped for its
///   timestamp: a dropped video frame would break every frame that refers to it until the next
///   keyframe, and a dropped audio frame is lost speech. Upstream keeps each track on one
///   continuous timeline and moves it only by slewing, so this is a last resort that squeezes
///   at worst a few frames together.
/// Audio also never overlaps: a frame that starts before the previous one ended is placed at
/// that end, because a decoder would play both and the decoded timeline would run backwards.
/// (GStreamer's first Opus packet is stamped 6.5 ms early, its encoder's look-ahead: its audio
/// then plays 6.5 ms late, which nobody hears.)
/// `timestampsAdjusted` counts the frames that had to be placed later than the frame before
/// them was (a new delay); the frames after one that keep its delay are not counted again.
/// Frames carry no B-frame reordering (WebRTC's H.264 is constrained baseline), so dts = pts.
struct MuxerTrackTimeline {
    enum Placement: Equatable {
        case write(at: Int64)
        case skip
    }

    let requiresKeyframe: Bool
    private(set) var lastTimestamp: Int64?
    /// Audio: where the last frame written ends.
    private var lastEnd: Int64?
    /// How much later than its timestamp the last frame was placed, and the frame being placed.
    private var lastDelay: Int64 = 0
    private var delay: Int64 = 0
    private let isAudio: Bool
    private var waitingForKeyframe: Bool

    init(kind: MediaKind) {
        requiresKeyframe = kind == .video
        isAudio = kind == .audio
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
        let placed: Int64
        if isAudio, let lastEnd, pts < lastEnd {
            placed = lastEnd
        } else if let last = lastTimestamp, pts <= last {
            placed = last + 1
        } else {
            placed = pts
        }
        delay = placed - pts
        // The same delay as the frame before is no new adjustment; for audio neither is a tick
        // more, which is rounding (Opus durations do not fall on a millisecond grid).
        if delay > lastDelay + (isAudio ? 1 : 0) { statistics.timestampsAdjusted += 1 }
        return .write(at: placed)
    }

    /// `duration` (muxer ticks, 0 when unknown) places the end of an audio frame.
    mutating func commit(_ timestamp: Int64, duration: Int64 = 0) {
        lastDelay = delay
        lastTimestamp = timestamp
        if isAudio { lastEnd = timestamp + max(duration, 1) }
    }

    /// Where the frames committed so far end: an audio frame's samples, a video frame's timestamp.
    var end: Int64? { isAudio ? lastEnd : lastTimestamp }
}
