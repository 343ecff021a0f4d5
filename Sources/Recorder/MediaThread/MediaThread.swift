import Foundation
import RTC
import Synchronization

/// The thread one recording's media work runs on: its participants' recorders (lip sync,
/// segments), transcoders, muxers and file writes. The I/O event loops only copy each frame into
/// the recording's `FrameQueue`, so a slow disk or a busy encoder costs frames here (dropped to
/// the next keyframe, counted), never packets on the wire. Speaker detection runs here too, on
/// the audio level each audio frame carries (`SpeakerTimeline`), and so does the room's mix
/// (`RoomMix`, for a recipe of layout `room`), advanced after every batch of frames and on the
/// recording's ticks, so a room where nobody sends still has its mix written on time.
///
/// `@unchecked Sendable`: `recorders`, `speakers` and `mix` are touched only on the thread itself, by
/// the commands and frames that `queue` hands it in order (or by the caller once it has stopped).
final class MediaThread: @unchecked Sendable {
    let queue: FrameQueue
    private var recorders: [ParticipantRecorder?] = []
    private let speakers: SpeakerTimeline
    private let mix: RoomMix?
    private let wallClock: WallClockReference
    /// Set once `stop` has returned: the thread is gone, and what is asked of it runs in place.
    private let stopped = Atomic<Bool>(false)

    /// Starts the thread. `capacity`: how many frames may wait for it at once; `wallClock`: the
    /// recording's, for the speaker timeline's times.
    init(name: String, capacity: Int = 4_096,
         wallClock: WallClockReference = WallClockReference(instant: .now, unixSeconds: Date().timeIntervalSince1970),
         mix: RoomMix? = nil) {
        queue = FrameQueue(capacity: capacity)
        speakers = SpeakerTimeline(wallClock: wallClock)
        self.mix = mix
        // The composite's speaker layout follows the active speaker; both live on this thread.
        speakers.activeSpeakerChanged = { [mix] participant, time in mix?.feature(participant, at: time) }
        self.wallClock = wallClock
        WorkerThread.start(name: name) { [self] in run() }
    }

    private func run() {
        var batch: [FrameQueue.Entry] = []
        batch.reserveCapacity(queue.capacity + 16)
        while true {
            batch.removeAll(keepingCapacity: true)
            queue.takeAll(into: &batch)
            var stopping = false
            for entry in batch {
                switch entry {
                case .frame(let index):
                    let slot = queue.slot(index)
                    guard let frame = slot.pointee.frame, let recorder = recorder(slot.pointee.participant) else { continue }
                    if let level = frame.audioLevel { speakers.hear(slot.pointee.participant, level: level, arrival: frame.arrival) }
                    let dropped = slot.pointee.droppedBefore
                    slot.pointee.bytes.withUnsafeBytes { recorder.receive(frame, $0, droppedBefore: dropped) }
                case .command(let command):
                    command()
                case .stop:
                    stopping = true
                }
            }
            queue.release(batch)
            mix?.advance(to: wallClock.unixSeconds(at: .now))
            if stopping { break }
        }
    }

    // MARK: Participants (called from anywhere; each runs in order on the thread)

    /// Adds a participant's recorder, made on the thread; returns its number, for the frames.
    func add(_ make: @escaping @Sendable () -> ParticipantRecorder) async -> Int {
        await perform { thread in
            let recorder = make()
            recorder.mix = thread.mix
            thread.recorders.append(recorder)
            thread.speakers.add(thread.recorders.count - 1, identity: recorder.participant)
            return thread.recorders.count - 1
        }
    }

    /// Runs `body` on the thread with participant `index`'s recorder, after the frames queued before.
    func withRecorder<Result: Sendable>(_ index: Int, _ body: @escaping @Sendable (ParticipantRecorder) -> Result) async -> Result? {
        await perform { thread in thread.recorder(index).map(body) }
    }

    /// Counts frames of a participant's track dropped on the way (the end of a drop that no
    /// frame after it reported).
    func noteDropped(_ count: Int, of track: TrackKey, participant index: Int) {
        queue.push { [self] in recorder(index)?.noteDropped(count, of: track) }
    }

    /// Finishes participant `index`'s files and lets its recorder go; returns what it recorded.
    func finish(_ index: Int) async -> ParticipantRecording? {
        await perform { thread in
            guard let recorder = thread.recorder(index) else { return nil }
            thread.speakers.remove(index, at: .now)
            recorder.finish()
            thread.recorders[index] = nil
            return ParticipantRecording(recorder)
        }
    }

    /// Wakes the thread to write what of the room's mix is due (see `RoomMix.advance`).
    func tickMix() {
        queue.push {}
    }

    /// The room's mix as it stands (nil: the recipe makes none).
    func mixReport() async -> RoomMixReport? {
        await perform { thread in thread.mix?.report }
    }

    /// Mixes the room up to now and finishes its file; call once every participant is finished.
    func finishMix() async -> RoomMixReport? {
        await perform { thread in
            thread.mix?.finish(at: thread.wallClock.unixSeconds(at: .now))
            return thread.mix?.report
        }
    }

    /// Who spoke when, so far: speech that has gone quiet by now is ended.
    func speakerTimeline() async -> SpeakerTimeline.Snapshot {
        await perform { thread in thread.speakers.snapshot(at: .now) }
    }

    /// Ends the thread once everything queued has run; returns when it has. Nothing may be asked
    /// of the thread while `stop` runs; what is asked after it runs in the caller.
    func stop() async {
        guard !stopped.load(ordering: .acquiring) else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.push { continuation.resume() }
            queue.pushStop()
        }
        stopped.store(true, ordering: .releasing)
    }

    /// On the thread: participant `index`'s recorder, while it records.
    private func recorder(_ index: Int) -> ParticipantRecorder? {
        recorders.indices.contains(index) ? recorders[index] : nil
    }

    private func perform<Result: Sendable>(_ body: @escaping @Sendable (MediaThread) -> Result) async -> Result {
        if stopped.load(ordering: .acquiring) { return body(self) }
        return await withCheckedContinuation { continuation in
            queue.push { continuation.resume(returning: body(self)) }
        }
    }
}
