import RTC

/// The frames a participant sent before their files could be opened: until every track is
/// anchored by a sender report (so the tracks line up from the first frame) and video has a
/// keyframe (its size goes in the file header). Bounded by the recorder's waits, a few seconds
/// of media; copied once, at the start of a segment only.
struct StartupBuffer {
    struct Frame {
        var key: TrackKey
        var frame: MediaFrame
        var bytes: [UInt8]
    }

    private(set) var frames: [Frame] = []
    /// When the first frame arrived (the waits count from here).
    private(set) var since: ContinuousClock.Instant?
    /// Per track, the first keyframe's index in `frames` (video) or the first frame's (audio).
    private(set) var firstWritable: [TrackKey: Int] = [:]
    private(set) var seen: [TrackKey: SDP.SupportedCodec] = [:]

    var isEmpty: Bool { frames.isEmpty }

    mutating func append(_ key: TrackKey, _ frame: MediaFrame, _ bytes: UnsafeRawBufferPointer) {
        if since == nil { since = frame.arrival }
        seen[key] = frame.codec
        if firstWritable[key] == nil, frame.kind == .audio || Self.startsVideo(frame) { firstWritable[key] = frames.count }
        frames.append(Frame(key: key, frame: frame, bytes: Array(bytes)))
    }

    /// Whether a video frame can start a track in a file: a keyframe that says its picture size
    /// (the file's header needs it). An H.264 IDR whose SPS was lost says none: the next
    /// keyframe is waited for, as for a delta frame.
    static func startsVideo(_ frame: MediaFrame) -> Bool {
        frame.isKeyframe && (frame.width ?? 0) > 0 && (frame.height ?? 0) > 0
    }

    /// Tracks seen that can be written: audio, and video from its first keyframe that says its size.
    var writableTracks: [TrackKey] { Array(firstWritable.keys) }

    func firstWritableFrame(of key: TrackKey) -> Frame? { firstWritable[key].map { frames[$0] } }

    mutating func removeAll() {
        frames.removeAll()
        since = nil
        firstWritable.removeAll()
        seen.removeAll()
    }
}
