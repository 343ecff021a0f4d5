import RTC

/// One participant's frames on their way to the recording's media thread, on the participant's
/// event loop: each frame is copied into the recording's `FrameQueue`. When the media thread is
/// behind and the queue is full, the frame is dropped — and a video track's next frames with it,
/// up to its next keyframe, since nothing before that would decode; the sender is asked for
/// that keyframe at once (the answer to the peer connection says so). The count travels with the
/// next frame of the track that gets through, so the manifest shows it on the file that has the gap.
///
/// Confined to the participant's event loop; nothing here allocates once each track is known.
final class FrameFeed {
    private struct Track {
        var key: TrackKey
        var waitingForKeyframe = false
        var dropped = 0
    }

    private let thread: MediaThread
    private let participant: Int
    private var tracks: [Track] = []
    /// Frames dropped so far because the media thread was behind.
    private(set) var framesDropped = 0

    init(thread: MediaThread, participant: Int) {
        self.thread = thread
        self.participant = participant
    }

    /// One complete frame from the peer connection; `bytes` is valid only during the call.
    /// Answers `.droppedNeedsKeyframe` when a video frame found no room: the connection then asks
    /// the sender for a keyframe (again when the keyframe itself finds none; it throttles).
    func offer(_ frame: MediaFrame, _ bytes: UnsafeRawBufferPointer) -> FrameDisposition {
        let index = trackIndex(TrackKey(mid: frame.mid, ssrc: frame.ssrc))
        let isVideo = frame.kind == .video
        if isVideo, tracks[index].waitingForKeyframe, !frame.isKeyframe {
            drop(index)
            return .taken
        }
        if thread.queue.push(participant: participant, frame: frame, bytes: bytes, droppedBefore: tracks[index].dropped) {
            tracks[index].dropped = 0
            tracks[index].waitingForKeyframe = false
            return .taken
        }
        drop(index)
        guard isVideo else { return .taken }
        tracks[index].waitingForKeyframe = true
        return .droppedNeedsKeyframe
    }

    /// Hands the counts of frames dropped since the last that got through to the media thread,
    /// at the end, when no frame will carry them.
    func flushDropCounts() {
        for index in tracks.indices where tracks[index].dropped > 0 {
            thread.noteDropped(tracks[index].dropped, of: tracks[index].key, participant: participant)
            tracks[index].dropped = 0
        }
    }

    private func drop(_ index: Int) {
        tracks[index].dropped += 1
        framesDropped += 1
    }

    private func trackIndex(_ key: TrackKey) -> Int {
        if let index = tracks.firstIndex(where: { $0.key == key }) { return index }
        tracks.append(Track(key: key))
        return tracks.count - 1
    }
}
