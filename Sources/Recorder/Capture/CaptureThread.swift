import Capture
import Foundation
import RTC
import Synchronization

/// The thread that takes one recording's captures to disk: every `interval` it appends what each
/// connection's ring holds to that connection's file (`CaptureFile`), so a capture on disk is at
/// most that far behind the network, and a killed recorder leaves everything up to then. It is
/// apart from the media thread so that a slow muxer or transcoder never costs the capture, and
/// the capture never costs them.
final class CaptureThread: Sendable {
    /// How far behind the network a capture on disk may be.
    static let interval: Duration = .milliseconds(100)
    /// Each connection's ring: at 2.5 Mbit/s of video, four intervals (a disk stalled that long
    /// costs no packet). Resident once the ring has wrapped: an eighth of a MiB per connection,
    /// which at a hundred participants is most of what the capture adds to a recorder's memory.
    static let ringCapacity = 1 << 17

    private let directory: String
    private let names: RecordingFileNames
    private let wallClock: WallClockReference
    private let gate: RecordingWriteGate
    private let state = Mutex(State())
    private let wake = NSCondition()

    private struct State {
        var files: [CaptureFile] = []
        /// Files whose connection closed, with who waits for them to be finished.
        var finishing: [(CaptureFile, CheckedContinuation<RecordingManifest.Capture, Never>)] = []
        var stopping: CheckedContinuation<Void, Never>?
        var stopped = false
    }

    init(name: String, directory: String, names: RecordingFileNames, wallClock: WallClockReference, gate: RecordingWriteGate) {
        self.directory = directory
        self.names = names
        self.wallClock = wallClock
        self.gate = gate
        WorkerThread.start(name: name) { [self] in run() }
    }

    /// A capture for a new connection to `participant` (their name, else their id): the tap for
    /// its peer connection, and the file the tap's packets go to. Nil when no name can be made.
    func open(participant: String, id: String, name: String?, start: Double) -> (tap: ConnectionCaptureTap, file: CaptureFile)? {
        guard let path = try? names.name(SegmentFileName(participant: participant, segment: 1, kind: nil, track: nil,
                                                         start: start, fileExtension: "pcapng"),
                                         template: Self.fileName) else { return nil }
        let ring = CaptureRing(capacity: Self.ringCapacity)
        let header = PcapngEncoder.fileHeader(application: "tapedeck", participant: id, name: name)
        let file = CaptureFile(path: path, directory: directory, ring: ring, header: header, gate: gate)
        state.withLock { $0.files.append(file) }
        return (ConnectionCaptureTap(ring: ring, wallClock: wallClock), file)
    }

    /// Once the connection has closed (its tap sees nothing more): the file's last blocks are
    /// written and it is renamed to its final name. Returns how it ended.
    func finish(_ file: CaptureFile) async -> RecordingManifest.Capture {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                guard !state.stopped else { return true }
                state.finishing.append((file, continuation))
                return false
            }
            if now {
                file.finish()
                continuation.resume(returning: file.report)
            } else {
                wake.broadcast()
            }
        }
    }

    /// Ends the thread after it has written what it holds; files not finished stay partial.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let already = state.withLock { state -> Bool in
                guard !state.stopped, state.stopping == nil else { return true }
                state.stopping = continuation
                return false
            }
            if already { continuation.resume() } else { wake.broadcast() }
        }
    }

    private func run() {
        while true {
            wake.lock()
            _ = wake.wait(until: Date(timeIntervalSinceNow: Self.interval.seconds))
            wake.unlock()
            let (files, finishing, stopping) = state.withLock { state in
                let finishing = state.finishing
                state.finishing = []
                state.files.removeAll { file in finishing.contains { $0.0 === file } }
                return (state.files, finishing, state.stopping)
            }
            for file in files { file.drain() }
            for (file, continuation) in finishing {
                file.finish()
                continuation.resume(returning: file.report)
            }
            if let stopping {
                let late = state.withLock { state in
                    state.stopped = true
                    defer { state.finishing = [] }
                    return state.finishing
                }
                for (file, continuation) in late {
                    file.finish()
                    continuation.resume(returning: file.report)
                }
                stopping.resume()
                return
            }
        }
    }

    /// Captures are named after the participant whatever the recipe's template (a per-track
    /// template's `{track}` means nothing for a connection); `-2`, `-3`… for later connections.
    private static let fileName = try! FileNameTemplate("{participant}")
}
